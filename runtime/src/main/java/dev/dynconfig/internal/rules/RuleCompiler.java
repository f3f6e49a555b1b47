package dev.dynconfig.internal.rules;

import dev.dynconfig.internal.rules.ValueNodes.Literal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles JsonLogic rules (with flagd's {@code fractional}, {@code sem_ver}, {@code starts_with},
 * {@code ends_with} and {@code $ref}) into {@link Rule}s, once, at document load time.
 *
 * <p>Semantics follow json-logic-js (JavaScript truthiness, loose equality and number handling);
 * flagd's operators follow flagd: on bad input (wrong arity, non-string arguments, invalid
 * versions, invalid weights) the whole rule evaluates to {@code null}, so the flag falls back to
 * its default. Rules are bounded at compile time ({@link #MAX_DEPTH}, {@link #MAX_NODES}, counted
 * after {@code $ref} expansion); loops over data are bounded per evaluation.
 */
public final class RuleCompiler {
  private RuleCompiler() {}

  /** Deepest nesting of arrays and objects accepted in a rule (after $ref expansion). */
  public static final int MAX_DEPTH = 64;

  /** Most JSON elements accepted in a rule (after $ref expansion). */
  public static final int MAX_NODES = 10_000;

  /**
   * Compiles a rule.
   *
   * @param rule the rule as plain Java JSON values (Map, List, String, Number, Boolean, null)
   * @param evaluators flagd's {@code $evaluators} (name → rule), for {@code {"$ref": name}}; empty
   *     when none
   * @param path the JSON path of the rule in its document, used in error messages (e.g. {@code
   *     flags[2].targeting})
   * @throws RuleException naming the path, the offending value and the reason (unknown operator,
   *     wrong arity, missing or cyclic {@code $ref}, rule too deep or too large)
   */
  public static Rule compile(Object rule, Map<String, Object> evaluators, String path)
      throws RuleException {
    Compilation c = new Compilation(evaluators == null ? Map.of() : evaluators);
    Node root = c.compile(rule, path, 0);
    return new CompiledRule(root, c.hasLoops, path);
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  /** Path segment for an object member: {@code .name}, or {@code ["=="]} for other names. */
  static String member(String path, String name) {
    return IDENTIFIER.matcher(name).matches()
        ? path + "." + name
        : path + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  private static final class Compilation {
    private final Map<String, Object> evaluators;
    private final LinkedHashSet<String> refStack = new LinkedHashSet<>();
    private int nodes;
    boolean hasLoops;

    Compilation(Map<String, Object> evaluators) {
      this.evaluators = evaluators;
    }

    private void count(Object value, String path, int depth) throws RuleException {
      if (depth > MAX_DEPTH) {
        throw new RuleException(
            path,
            value,
            "nests deeper than "
                + MAX_DEPTH
                + " levels; flatten the rule or split it into"
                + " $evaluators");
      }
      if (++nodes > MAX_NODES) {
        throw new RuleException(
            path,
            value,
            "makes the rule larger than "
                + MAX_NODES
                + " elements (after $ref expansion);"
                + " simplify the rule");
      }
    }

    Node compile(Object json, String path, int depth) throws RuleException {
      count(json, path, depth);
      if (json instanceof List) {
        List<?> list = (List<?>) json;
        Node[] items = new Node[list.size()];
        boolean constant = true;
        for (int i = 0; i < items.length; i++) {
          items[i] = compile(list.get(i), path + "[" + i + "]", depth + 1);
          constant &= items[i].isConstant();
        }
        if (constant) {
          List<Object> values = new ArrayList<>(items.length);
          for (Node n : items) {
            values.add(((Literal) n).value);
          }
          return new Literal(Collections.unmodifiableList(values));
        }
        return new ValueNodes.ArrayNode(items);
      }
      if (json instanceof Map) {
        Map<?, ?> map = (Map<?, ?>) json;
        if (map.size() != 1) {
          // json-logic-js: only single-key objects are operations; others are data.
          return new Literal(literalMap(map, path, depth));
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        if (!(e.getKey() instanceof String)) {
          throw new RuleException(path, e.getKey(), "is not a string key");
        }
        return operation((String) e.getKey(), e.getValue(), path, depth);
      }
      return new Literal(scalar(json, path));
    }

    private Object scalar(Object v, String path) throws RuleException {
      if (v == null || v instanceof String || v instanceof Boolean) {
        return v;
      }
      if (v instanceof Integer
          || v instanceof Long
          || v instanceof Double
          || v instanceof BigDecimal
          || v instanceof BigInteger
          || v instanceof Float
          || v instanceof Short
          || v instanceof Byte) {
        return v;
      }
      throw new RuleException(
          path, v, "is not a JSON value (" + v.getClass().getSimpleName() + ")");
    }

    private Object literal(Object v, String path, int depth) throws RuleException {
      count(v, path, depth);
      if (v instanceof List) {
        List<?> list = (List<?>) v;
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          out.add(literal(list.get(i), path + "[" + i + "]", depth + 1));
        }
        return Collections.unmodifiableList(out);
      }
      if (v instanceof Map) {
        return literalMap((Map<?, ?>) v, path, depth);
      }
      return scalar(v, path);
    }

    private Map<String, Object> literalMap(Map<?, ?> map, String path, int depth)
        throws RuleException {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new RuleException(path, e.getKey(), "is not a string key");
        }
        String key = (String) e.getKey();
        out.put(key, literal(e.getValue(), member(path, key), depth + 1));
      }
      return Collections.unmodifiableMap(out);
    }

    private Node operation(String op, Object rawArgs, String path, int depth) throws RuleException {
      String opPath = member(path, op);
      if (op.equals("$ref")) {
        return ref(rawArgs, path, opPath, depth);
      }
      Operator operator = Operator.of(op);
      if (operator == null) {
        throw new RuleException(path, op, "is not a known operator");
      }
      // json-logic-js: a non-array argument is a single argument.
      boolean isArray = rawArgs instanceof List;
      if (isArray) {
        count(rawArgs, opPath, depth + 1);
      }
      List<?> raw = isArray ? (List<?>) rawArgs : Collections.singletonList(rawArgs);
      int argDepth = depth + (isArray ? 2 : 1);
      if (operator == Operator.FRACTIONAL) {
        return fractional(raw, opPath, isArray, argDepth);
      }
      if (operator.loop) {
        hasLoops = true;
      }
      Node[] args = new Node[raw.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = compile(raw.get(i), isArray ? opPath + "[" + i + "]" : opPath, argDepth);
      }
      Node node = operator.build(args);
      if (operator.loop) {
        checkBounds(node, args, op, opPath);
      }
      return operator.pure ? fold(node, args) : node;
    }

    /**
     * A loop over constants (its data and initial value are in the document) does the same work for
     * every caller: run it once here, within the evaluation bounds, so that a rule that would
     * exceed them (e.g. {@code reduce} doubling a string with {@code cat}) is refused with its path
     * instead of being sent to every client.
     */
    private static void checkBounds(Node loop, Node[] args, String op, String opPath)
        throws RuleException {
      for (int i = 0; i < args.length; i++) {
        if (i != 1 && !args[i].isConstant()) {
          return; // depends on the caller's data: bounded at run time
        }
      }
      try {
        loop.eval(null, null, new Budget());
      } catch (RuleLimitException e) {
        throw new RuleException(
            opPath,
            op,
            "exceeds the evaluation limits with the document's own constants ("
                + e.getMessage()
                + "); every client would stop this evaluation and serve the default");
      } catch (RuntimeException | StackOverflowError e) {
        // Fails for other reasons (e.g. reads the caller's data): left to run time.
      }
    }

    /** Replaces an operation on constants by its value when that value is a scalar. */
    private static Node fold(Node node, Node[] args) {
      for (Node a : args) {
        if (!a.isConstant()) {
          return node;
        }
      }
      try {
        Object v = node.eval(null, null, null);
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
          return new Literal(v);
        }
      } catch (RuntimeException e) {
        // Not foldable (e.g. a flagd operator error): keep it for run time, where it yields null.
      }
      return node;
    }

    private Node ref(Object name, String path, String opPath, int depth) throws RuleException {
      if (!(name instanceof String)) {
        throw new RuleException(opPath, name, "is not an evaluator name ($ref takes a string)");
      }
      String n = (String) name;
      if (!evaluators.containsKey(n)) {
        throw new RuleException(
            opPath, n, "refers to an evaluator that is not defined in $evaluators");
      }
      if (!refStack.add(n)) {
        List<String> cycle = new ArrayList<>(refStack);
        cycle = cycle.subList(cycle.indexOf(n), cycle.size());
        throw new RuleException(
            opPath,
            n,
            "is part of a $ref cycle ("
                + String.join(" -> ", cycle)
                + " -> "
                + n
                + "); break the cycle");
      }
      try {
        // Expanded at every use, so size and depth limits count the rule as evaluated.
        return compile(evaluators.get(n), member("$evaluators", n), depth + 1);
      } finally {
        refStack.remove(n);
      }
    }

    private Node fractional(List<?> raw, String opPath, boolean isArray, int depth)
        throws RuleException {
      int start = 0;
      Node bucketBy = null;
      if (!raw.isEmpty() && !(raw.get(0) instanceof List)) {
        bucketBy = compile(raw.get(0), isArray ? opPath + "[0]" : opPath, depth);
        start = 1;
      }
      int n = raw.size() - start;
      Node[] variants = new Node[n];
      Node[] weights = new Node[n];
      boolean malformed = false;
      for (int i = 0; i < n; i++) {
        Object d = raw.get(start + i);
        String dPath = opPath + "[" + (start + i) + "]";
        if (!(d instanceof List) || ((List<?>) d).isEmpty()) {
          // flagd rejects this at evaluation time (the rule yields null); compile it for the
          // limits.
          compile(d, dPath, depth);
          variants[i] = new Literal(null);
          malformed = true;
          continue;
        }
        List<?> dist = (List<?>) d;
        count(dist, dPath, depth);
        variants[i] = compile(dist.get(0), dPath + "[0]", depth + 1);
        weights[i] = dist.size() > 1 ? compile(dist.get(1), dPath + "[1]", depth + 1) : null;
        for (int k = 2; k < dist.size(); k++) {
          compile(dist.get(k), dPath + "[" + k + "]", depth + 1);
        }
      }
      return new Fractional(bucketBy, variants, weights, malformed);
    }
  }
}
