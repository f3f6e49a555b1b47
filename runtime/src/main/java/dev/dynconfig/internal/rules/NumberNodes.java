package dev.dynconfig.internal.rules;

/**
 * JsonLogic's arithmetic: {@code min}/{@code max}, {@code +}, {@code *}, {@code -}, {@code /} and
 * {@code %}, with JavaScript's number conversions.
 */
final class NumberNodes {
  private NumberNodes() {}

  static final class MinMax extends Node {
    final Node[] args;
    final boolean max;

    MinMax(Node[] args, boolean max) {
      this.args = args;
      this.max = max;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      double r = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (Node a : args) {
        double d = Js.toNumber(a.eval(scope, root, budget));
        r = max ? Math.max(r, d) : Math.min(r, d); // Math.max/min propagate NaN like JavaScript
      }
      return Js.number(r);
    }
  }

  static final class Plus extends Node {
    final Node[] args;

    Plus(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      double sum = 0;
      for (Node a : args) {
        sum += Js.parseFloat(a.eval(scope, root, budget));
      }
      return Js.number(sum);
    }
  }

  static final class Times extends Node {
    final Node[] args;

    Times(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length == 0) {
        throw Abort.INSTANCE; // reduce of an empty array with no initial value: a TypeError in JS
      }
      Object first = args[0].eval(scope, root, budget);
      if (args.length == 1) {
        return first;
      }
      double product = Js.parseFloat(first);
      for (int i = 1; i < args.length; i++) {
        product *= Js.parseFloat(args[i].eval(scope, root, budget));
      }
      return Js.number(product);
    }
  }

  /** Binary -, / and % (and unary minus). */
  static final class Arith extends Node {
    final Node[] args;
    final char op;

    Arith(Node[] args, char op) {
      this.args = args;
      this.op = op;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = arg(args, 0, scope, root, budget);
      Object y = arg(args, 1, scope, root, budget);
      double a = Js.toNumber(x);
      if (op == '-' && y == U) {
        return Js.number(-a);
      }
      double b = Js.toNumber(y);
      switch (op) {
        case '-':
          return Js.number(a - b);
        case '/':
          return Js.number(a / b);
        default:
          return Js.number(a % b);
      }
    }
  }
}
