package dev.dynconfig.internal.rules;

/**
 * JsonLogic's logic and comparison: {@code if}, {@code and}/{@code or}, {@code !}/{@code !!},
 * equality and the ordering comparisons.
 */
final class LogicNodes {
  private LogicNodes() {}

  static final class If extends Node {
    final Node[] args;

    If(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      int i = 0;
      for (; i < args.length - 1; i += 2) {
        if (Js.truthy(args[i].eval(scope, root, budget))) {
          return args[i + 1].eval(scope, root, budget);
        }
      }
      return i == args.length - 1 ? args[i].eval(scope, root, budget) : null;
    }
  }

  static final class And extends Node {
    final Node[] args;
    final boolean isOr;

    And(Node[] args, boolean isOr) {
      this.args = args;
      this.isOr = isOr;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object current = U;
      for (Node a : args) {
        current = a.eval(scope, root, budget);
        if (Js.truthy(current) == isOr) {
          return current;
        }
      }
      return current;
    }
  }

  static final class Not extends Node {
    final Node arg;
    final boolean doubled;

    Not(Node arg, boolean doubled) {
      this.arg = arg;
      this.doubled = doubled;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      return Js.truthy(arg.eval(scope, root, budget)) == doubled;
    }
  }

  /** ==, ===, != and !==. */
  static final class Equality extends Node {
    final Node a;
    final Node b;
    final boolean strict;
    final boolean negate;

    Equality(Node a, Node b, boolean strict, boolean negate) {
      this.a = a;
      this.b = b;
      this.strict = strict;
      this.negate = negate;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = a.eval(scope, root, budget);
      Object y = b.eval(scope, root, budget);
      boolean eq = strict ? Js.strictEquals(x, y) : Js.looseEquals(x, y);
      return eq != negate;
    }
  }

  /** <, <=, > and >= (with the between form for < and <=). */
  static final class Compare extends Node {
    final Node a;
    final Node b;
    final Node c; // null unless between
    final boolean orEqual;
    final boolean greater;

    Compare(Node a, Node b, Node c, boolean orEqual, boolean greater) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.orEqual = orEqual;
      this.greater = greater;
    }

    private boolean cmp(Object x, Object y) {
      if (greater) {
        return orEqual ? Js.le(y, x) : Js.lt(y, x);
      }
      return orEqual ? Js.le(x, y) : Js.lt(x, y);
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = a.eval(scope, root, budget);
      Object y = b.eval(scope, root, budget);
      if (c == null) {
        return cmp(x, y);
      }
      Object z = c.eval(scope, root, budget);
      return cmp(x, y) && cmp(y, z);
    }
  }
}
