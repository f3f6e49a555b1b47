package dev.dynconfig.internal.rules;

import static dev.dynconfig.internal.rules.Node.U;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JsonLogic's string operators: {@code cat}, {@code substr}, and {@code log}. */
final class StringNodes {
  private StringNodes() {}

  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig.rules.log");

  static final class Cat extends Node {
    final Node[] args;

    Cat(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object[] values = new Object[args.length];
      long length = 0;
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(scope, root, budget);
        length += values[i] instanceof String str ? str.length() : 0;
      }
      // Before building: cat can double a string per step. Arrays are joined with a bound.
      Budget.checkString(length, budget);
      StringBuilder sb = new StringBuilder();
      for (Object v : values) {
        appendJoined(sb, v);
        if (sb.length() > Budget.MAX_STRING_CHARS) {
          Budget.checkString(sb.length(), null);
        }
      }
      return sb.toString();
    }
  }

  /** Array.prototype.join's view of one element: null and undefined are empty. */
  static void appendJoined(StringBuilder sb, Object v) {
    if (v != null && v != U) {
      sb.append(Js.toStr(v));
    }
  }

  static final class Substr extends Node {
    final Node[] args;

    Substr(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      String s = Js.toStr(arg(args, 0, scope, root, budget));
      Object start = arg(args, 1, scope, root, budget);
      Object end = arg(args, 2, scope, root, budget);
      if (end != U && Js.lt(end, 0)) {
        String temp = substr(s, start, U);
        return substr(temp, 0, temp.length() + Js.toInteger(end));
      }
      return substr(s, start, end);
    }

    /** JavaScript String.prototype.substr(start, length). */
    static String substr(String s, Object startValue, Object lengthValue) {
      int size = s.length();
      double start = Js.toInteger(startValue);
      if (start < 0) {
        start = Math.max(size + start, 0);
      }
      start = Math.min(start, size);
      double length = lengthValue == U ? size - start : Js.toInteger(lengthValue);
      length = Math.min(Math.max(length, 0), size - start);
      if (length <= 0) {
        return "";
      }
      return s.substring((int) start, (int) (start + length));
    }
  }

  static final class Log extends Node {
    final Node arg;

    Log(Node arg) {
      this.arg = arg;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object v = arg.eval(scope, root, budget);
      LOG.info("{}", orNull(v));
      return v;
    }
  }
}
