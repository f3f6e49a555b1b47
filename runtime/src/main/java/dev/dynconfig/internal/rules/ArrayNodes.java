package dev.dynconfig.internal.rules;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JsonLogic's array operators: {@code map}, {@code filter}, {@code all}/{@code none}/{@code some},
 * {@code reduce}, {@code merge} and {@code in}.
 */
final class ArrayNodes {
  private ArrayNodes() {}

  /** map, filter, all, none and some. */
  static final class Loop extends Node {
    enum Kind {
      MAP,
      FILTER,
      ALL,
      NONE,
      SOME
    }

    final Node data;
    final Node logic;
    final Kind kind;

    Loop(Node data, Node logic, Kind kind) {
      this.data = data;
      this.logic = logic;
      this.kind = kind;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object d = data.eval(scope, root, budget);
      List<?> items = d instanceof List ? (List<?>) d : Collections.emptyList();
      switch (kind) {
        case MAP:
          {
            Budget.checkArray(items.size(), budget);
            List<Object> out = new ArrayList<>(items.size());
            for (Object item : items) {
              budget.spend(logic.size);
              out.add(orNull(logic.eval(item, root, budget)));
            }
            return out;
          }
        case FILTER:
          {
            Budget.checkArray(items.size(), budget);
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
              budget.spend(logic.size);
              if (Js.truthy(logic.eval(item, root, budget))) {
                out.add(item);
              }
            }
            return out;
          }
        case ALL:
          if (items.isEmpty()) {
            return false;
          }
          for (Object item : items) {
            budget.spend(logic.size);
            if (!Js.truthy(logic.eval(item, root, budget))) {
              return false;
            }
          }
          return true;
        default:
          for (Object item : items) {
            budget.spend(logic.size);
            if (Js.truthy(logic.eval(item, root, budget))) {
              return kind == Kind.SOME;
            }
          }
          return kind == Kind.NONE;
      }
    }
  }

  static final class Reduce extends Node {
    final Node data;
    final Node logic;
    final Node initial; // null → null

    Reduce(Node data, Node logic, Node initial) {
      this.data = data;
      this.logic = logic;
      this.initial = initial;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object d = data.eval(scope, root, budget);
      Object acc = initial == null ? null : orNull(initial.eval(scope, root, budget));
      if (!(d instanceof List)) {
        return acc;
      }
      for (Object item : (List<?>) d) {
        budget.spend(logic.size);
        acc = orNull(logic.eval(new ReduceScope(item, acc), root, budget));
      }
      return acc;
    }
  }

  /** The {current, accumulator} object reduce's logic reads. */
  static final class ReduceScope extends AbstractMap<String, Object> {
    private final Object current;
    private final Object accumulator;

    ReduceScope(Object current, Object accumulator) {
      this.current = current;
      this.accumulator = accumulator;
    }

    @Override
    public Object get(Object key) {
      return "current".equals(key) ? current : "accumulator".equals(key) ? accumulator : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return "current".equals(key) || "accumulator".equals(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("current", current);
      m.put("accumulator", accumulator);
      return m.entrySet();
    }
  }

  static final class Merge extends Node {
    final Node[] args;

    Merge(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object[] values = new Object[args.length];
      long size = 0;
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(scope, root, budget);
        size += values[i] instanceof List<?> l ? l.size() : 1;
      }
      Budget.checkArray(size, budget); // before building: merge can double an array per step
      List<Object> out = new ArrayList<>((int) size);
      for (Object v : values) {
        if (v instanceof List) {
          out.addAll((List<?>) v);
        } else {
          out.add(orNull(v));
        }
      }
      return out;
    }
  }

  static final class In extends Node {
    final Node needle;
    final Node haystack;

    In(Node needle, Node haystack) {
      this.needle = needle;
      this.haystack = haystack;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object a = needle.eval(scope, root, budget);
      Object b = haystack.eval(scope, root, budget);
      if (b instanceof String) {
        return ((String) b).contains(Js.toStr(a));
      }
      if (b instanceof List) {
        List<?> l = (List<?>) b;
        for (int i = 0, n = l.size(); i < n; i++) {
          if (Js.strictEquals(a, l.get(i))) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
