package dev.dynconfig.internal.rules;

import java.util.ArrayList;
import java.util.List;

/** The nodes that are values: literals (and folded constants) and arrays of expressions. */
final class ValueNodes {
  private ValueNodes() {}

  /** A value known at compile time (literal or folded). */
  static final class Literal extends Node {
    final Object value;

    Literal(Object value) {
      this.value = value;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      return value;
    }

    @Override
    boolean isConstant() {
      return true;
    }
  }

  /** An array whose elements are expressions: evaluates to a new list. */
  static final class ArrayNode extends Node {
    final Node[] items;

    ArrayNode(Node[] items) {
      this.items = items;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      List<Object> out = new ArrayList<>(items.length);
      for (Node item : items) {
        out.add(orNull(item.eval(scope, root, budget)));
      }
      return out;
    }
  }
}
