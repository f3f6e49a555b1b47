package dev.dynconfig.internal.rules;

import static dev.dynconfig.internal.rules.Node.U;
import static dev.dynconfig.internal.rules.Node.orNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * JsonLogic's data access: {@code var}, {@code missing} and {@code missing_some}, and the path
 * resolution they share.
 */
final class DataNodes {
  private DataNodes() {}

  /** Child {@code key} of a JsonLogic value, or undefined. */
  static Object child(Object container, String key) {
    if (container instanceof RuleData) {
      return ((RuleData) container).get(key);
    }
    if (container instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) container;
      Object v = m.get(key);
      return v != null || m.containsKey(key) ? v : U;
    }
    if (container instanceof List) {
      List<?> l = (List<?>) container;
      int i = index(key);
      if (i >= 0) {
        return i < l.size() ? l.get(i) : U;
      }
      return "length".equals(key) ? (Object) l.size() : U;
    }
    if (container instanceof String) {
      String s = (String) container;
      int i = index(key);
      if (i >= 0) {
        return i < s.length() ? String.valueOf(s.charAt(i)) : U;
      }
      return "length".equals(key) ? (Object) s.length() : U;
    }
    return U;
  }

  /** A canonical array index ("0", "12"; not "01" or "-1"), or -1. */
  private static int index(String key) {
    int n = key.length();
    if (n == 0 || n > 9 || (n > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The whole scope as a JsonLogic value. */
  static Object whole(Object scope) {
    return scope instanceof RuleData ? ((RuleData) scope).asJson() : scope;
  }

  /** Follows a pre-split path; undefined when a step is missing or the value is null midway. */
  static Object resolve(Object scope, String[] path) {
    if (path.length == 0) {
      return whole(scope);
    }
    Object cur = scope;
    for (String seg : path) {
      if (cur == null || cur == U) {
        return U;
      }
      cur = child(cur, seg);
    }
    return cur;
  }

  static String[] splitPath(Object key) {
    if (key == null || key == U || "".equals(key)) {
      return new String[0];
    }
    return Js.toStr(key).split("\\.", -1);
  }

  /** {@code {"var": [path, default]}}. */
  static final class Var extends Node {
    final String[] path; // null when the path is computed at run time
    final Node pathNode;
    final Node fallback; // null: not found → null

    Var(String[] path, Node pathNode, Node fallback) {
      this.path = path;
      this.pathNode = pathNode;
      this.fallback = fallback;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      String[] p = path != null ? path : splitPath(pathNode.eval(scope, root, budget));
      Object v = resolve(scope, p);
      if (v == U) {
        return fallback == null ? null : orNull(fallback.eval(scope, root, budget));
      }
      return v;
    }
  }

  /** {@code {"missing": [keys…]}} or {@code {"missing": [[keys…]]}}. */
  static final class Missing extends Node {
    final Node[] args;

    Missing(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length == 0) {
        return new ArrayList<>();
      }
      List<Object> keys;
      Object first = args[0].eval(scope, root, budget);
      if (first instanceof List) {
        keys = castList(first);
      } else {
        keys = new ArrayList<>(args.length);
        keys.add(orNull(first));
        for (int i = 1; i < args.length; i++) {
          keys.add(orNull(args[i].eval(scope, root, budget)));
        }
      }
      return missing(scope, keys);
    }
  }

  static List<Object> missing(Object scope, List<?> keys) {
    List<Object> out = new ArrayList<>();
    for (Object key : keys) {
      Object v = resolve(scope, splitPath(key));
      if (v == U || v == null || "".equals(v)) {
        out.add(key);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Object> castList(Object v) {
    return (List<Object>) v;
  }

  /** {@code {"missing_some": [need, [keys…]]}}. */
  static final class MissingSome extends Node {
    final Node need;
    final Node options;

    MissingSome(Node need, Node options) {
      this.need = need;
      this.options = options;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object opts = options.eval(scope, root, budget);
      List<?> keys = opts instanceof List ? (List<?>) opts : Collections.emptyList();
      List<Object> absent = missing(scope, keys);
      double needCount = Js.toNumber(need.eval(scope, root, budget));
      return keys.size() - absent.size() >= needCount ? new ArrayList<>() : absent;
    }
  }
}
