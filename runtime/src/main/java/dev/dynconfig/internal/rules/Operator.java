package dev.dynconfig.internal.rules;

import dev.dynconfig.internal.rules.ValueNodes.Literal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operators a rule may use, by name, and the node each one compiles to. {@code pure} ones fold
 * when all their arguments are constants; {@code loop} ones run their logic per element and are
 * bounded by {@link Budget}.
 */
enum Operator {
  VAR("var", false, false),
  MISSING("missing", false, false),
  MISSING_SOME("missing_some", false, false),
  IF("if", true, false),
  TERNARY("?:", true, false),
  AND("and", true, false),
  OR("or", true, false),
  NOT("!", true, false),
  NOT_NOT("!!", true, false),
  EQ("==", true, false),
  STRICT_EQ("===", true, false),
  NE("!=", true, false),
  STRICT_NE("!==", true, false),
  LT("<", true, false),
  LE("<=", true, false),
  GT(">", true, false),
  GE(">=", true, false),
  MAX("max", true, false),
  MIN("min", true, false),
  PLUS("+", true, false),
  MINUS("-", true, false),
  TIMES("*", true, false),
  DIVIDE("/", true, false),
  MODULO("%", true, false),
  MAP("map", false, true),
  FILTER("filter", false, true),
  REDUCE("reduce", false, true),
  ALL("all", false, true),
  NONE("none", false, true),
  SOME("some", false, true),
  MERGE("merge", true, false),
  IN("in", true, false),
  CAT("cat", true, false),
  SUBSTR("substr", true, false),
  LOG("log", false, false),
  FRACTIONAL("fractional", false, false),
  SEM_VER("sem_ver", true, false),
  STARTS_WITH("starts_with", true, false),
  ENDS_WITH("ends_with", true, false);

  private static final Map<String, Operator> BY_NAME = new LinkedHashMap<>();

  static {
    for (Operator k : values()) {
      BY_NAME.put(k.name, k);
    }
  }

  final String name;
  final boolean pure;
  final boolean loop;

  Operator(String name, boolean pure, boolean loop) {
    this.name = name;
    this.pure = pure;
    this.loop = loop;
  }

  static Operator of(String name) {
    Operator k = BY_NAME.get(name);
    return k == TERNARY ? IF : k;
  }

  private static Node at(Node[] args, int i) {
    return i < args.length ? args[i] : new Literal(Js.UNDEFINED);
  }

  /** The node for this operator over compiled arguments ({@code fractional} is built apart). */
  Node build(Node[] args) {
    switch (this) {
      case VAR:
        {
          Node key = at(args, 0);
          Node fallback = args.length > 1 ? args[1] : null;
          if (key.isConstant()) {
            return new DataNodes.Var(DataNodes.splitPath(((Literal) key).value), null, fallback);
          }
          return new DataNodes.Var(null, key, fallback);
        }
      case MISSING:
        return new DataNodes.Missing(args);
      case MISSING_SOME:
        return new DataNodes.MissingSome(at(args, 0), at(args, 1));
      case IF:
        return new LogicNodes.If(args);
      case AND:
        return new LogicNodes.And(args, false);
      case OR:
        return new LogicNodes.And(args, true);
      case NOT:
        return new LogicNodes.Not(at(args, 0), false);
      case NOT_NOT:
        return new LogicNodes.Not(at(args, 0), true);
      case EQ:
        return new LogicNodes.Equality(at(args, 0), at(args, 1), false, false);
      case STRICT_EQ:
        return new LogicNodes.Equality(at(args, 0), at(args, 1), true, false);
      case NE:
        return new LogicNodes.Equality(at(args, 0), at(args, 1), false, true);
      case STRICT_NE:
        return new LogicNodes.Equality(at(args, 0), at(args, 1), true, true);
      case LT:
      case LE:
        return new LogicNodes.Compare(
            at(args, 0), at(args, 1), args.length > 2 ? args[2] : null, this == LE, false);
      case GT:
      case GE:
        return new LogicNodes.Compare(at(args, 0), at(args, 1), null, this == GE, true);
      case MAX:
        return new NumberNodes.MinMax(args, true);
      case MIN:
        return new NumberNodes.MinMax(args, false);
      case PLUS:
        return new NumberNodes.Plus(args);
      case TIMES:
        return new NumberNodes.Times(args);
      case MINUS:
        return new NumberNodes.Arith(args, '-');
      case DIVIDE:
        return new NumberNodes.Arith(args, '/');
      case MODULO:
        return new NumberNodes.Arith(args, '%');
      case MAP:
        return new ArrayNodes.Loop(at(args, 0), logic(args), ArrayNodes.Loop.Kind.MAP);
      case FILTER:
        return new ArrayNodes.Loop(at(args, 0), logic(args), ArrayNodes.Loop.Kind.FILTER);
      case ALL:
        return new ArrayNodes.Loop(at(args, 0), logic(args), ArrayNodes.Loop.Kind.ALL);
      case NONE:
        return new ArrayNodes.Loop(at(args, 0), logic(args), ArrayNodes.Loop.Kind.NONE);
      case SOME:
        return new ArrayNodes.Loop(at(args, 0), logic(args), ArrayNodes.Loop.Kind.SOME);
      case REDUCE:
        return new ArrayNodes.Reduce(at(args, 0), logic(args), args.length > 2 ? args[2] : null);
      case MERGE:
        return new ArrayNodes.Merge(args);
      case IN:
        return new ArrayNodes.In(at(args, 0), at(args, 1));
      case CAT:
        return new StringNodes.Cat(args);
      case SUBSTR:
        return new StringNodes.Substr(args);
      case LOG:
        return new StringNodes.Log(at(args, 0));
      case STARTS_WITH:
        return new FlagdNodes.Affix(args, true);
      case ENDS_WITH:
        return new FlagdNodes.Affix(args, false);
      case SEM_VER:
        return new FlagdNodes.SemVerNode(args);
      default:
        throw new IllegalStateException("unhandled operator " + this);
    }
  }

  private static Node logic(Node[] args) {
    return args.length > 1 ? args[1] : new Literal(null);
  }
}
