package dev.dynconfig.internal.document;

import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The checks every part of a document shares (ids, strings, dates, unknown fields, metadata). Each
 * records a problem with its JSON path, value and reason instead of throwing, so one run of {@code
 * validate} shows the author everything to fix.
 */
final class FieldChecks {
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final List<Problem> problems = new ArrayList<>();

  /** Every problem found so far, in the order found. */
  List<Problem> problems() {
    return problems;
  }

  /** How many problems have been found so far (to tell whether a part added any). */
  int count() {
    return problems.size();
  }

  void add(Problem p) {
    problems.add(p);
  }

  Map<String, Object> metadata(Object v, String path) {
    if (!(v instanceof Map<?, ?> raw)) {
      problem(path, v, "must be an object of name → string, number or boolean");
      return Map.of();
    }
    Map<String, Object> m = cast(raw);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object x = e.getValue();
      if (!(x instanceof String || x instanceof Number || x instanceof Boolean)) {
        problem(field(path, e.getKey()), x, "must be a string, number or boolean");
      }
    }
    return m;
  }

  /** One element of an array of objects with ids, as handed to the element's own checks. */
  record Item(Map<String, Object> fields, String path, String id, int problemsBefore) {}

  /**
   * Checks what every array of objects with unique ids shares (flags, tests, variants): each
   * element is an object with only {@code known} fields (any when null), and {@code idField} is a
   * non-empty string no earlier element uses. Then {@code check} runs the element's own checks and
   * returns what to keep of it, or null to keep nothing.
   *
   * @param path the array's JSON path
   * @param idReason why the id is needed, for the "is missing" problem
   * @param noun the element in "is not a known field of ..." (e.g. "a flag")
   */
  <T> List<T> objectsWithIds(
      List<?> list,
      String path,
      String idField,
      String idReason,
      Set<String> known,
      String noun,
      Function<Item, T> check) {
    List<T> out = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String ipath = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> raw)) {
        problem(ipath, list.get(i), "must be an object");
        continue;
      }
      Map<String, Object> m = cast(raw);
      int before = problems.size();
      if (known != null) {
        unknownFields(m, known, ipath, noun);
      }
      String id = requiredKey(m, idField, ipath, idReason);
      if (id != null) {
        Integer first = firstIndex.putIfAbsent(id, i);
        if (first != null) {
          problem(field(ipath, idField), id, "duplicates " + path + "[" + first + "]." + idField);
        }
      }
      T kept = check.apply(new Item(m, ipath, id, before));
      if (kept != null) {
        out.add(kept);
      }
    }
    return out;
  }

  /** Whether no problem has been found in the element so far (its id and fields included). */
  boolean clean(Item item) {
    return problems.size() == item.problemsBefore();
  }

  /** The array at {@code path}; empty when absent, or (with a problem) when not an array. */
  List<?> optionalArray(Object v, String path, String notAnArray) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problem(path, v, notAnArray);
      return List.of();
    }
    return list;
  }

  String requiredKey(Map<String, Object> m, String field, String path, String why) {
    Object k = m.get(field);
    if (k == null) {
      problem(field(path, field), null, "is missing: " + why);
      return null;
    }
    if (!(k instanceof String s) || s.isEmpty()) {
      problem(field(path, field), k, "must be a non-empty string");
      return null;
    }
    return s;
  }

  String optionalString(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    problem(field(path, field), v, "must be a string");
    return null;
  }

  List<String> stringList(Object v, String path) {
    if (!(v instanceof List<?> list)) {
      problem(path, v, "must be an array of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s && !s.isEmpty()) {
        out.add(s);
      } else {
        problem(path + "[" + i + "]", list.get(i), "must be a non-empty string");
      }
    }
    return List.copyOf(out);
  }

  Map<String, Object> object(Object v, String path) {
    if (v instanceof Map<?, ?> m) {
      return cast(m);
    }
    problem(path, v, "must be an object");
    return Map.of();
  }

  Instant instant(Object v, String path) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          // fall through to the problem below
        }
      }
    }
    problem(path, v, "is not an ISO-8601 date-time (e.g. \"2027-12-31T23:59:59Z\")");
    return null;
  }

  void unknownFields(Map<String, Object> m, Set<String> known, String path, String what) {
    for (String k : m.keySet()) {
      if (!known.contains(k) && !k.startsWith("$")) {
        problem(
            field(path, k),
            null,
            "is not a known field of "
                + what
                + " (known: "
                + String.join(", ", sorted(known))
                + ")");
      }
    }
  }

  static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    Collections.sort(l);
    return l;
  }

  static boolean isInteger(Object v) {
    return v instanceof Long || (v instanceof BigDecimal b && b.scale() <= 0);
  }

  static boolean inPercentRange(Number n) {
    BigDecimal d = decimal(n);
    return d.signum() >= 0 && d.compareTo(HUNDRED) <= 0;
  }

  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    }
    if (n instanceof Long || n instanceof Integer) {
      return BigDecimal.valueOf(n.longValue());
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.valueOf(Long.MAX_VALUE);
  }

  /** Appends a field to a JSON path: {@code a.b}, or {@code a["odd key"]} when needed. */
  static String field(String parent, String name) {
    if (SIMPLE_NAME.matcher(name).matches()) {
      return parent.isEmpty() ? name : parent + "." + name;
    }
    return parent + "[" + Json.write(name) + "]";
  }

  void problem(String path, Object value, String reason) {
    problems.add(new Problem(path, value == null ? null : Json.render(value), reason));
  }

  @SuppressWarnings("unchecked")
  static <T> Map<String, T> cast(Map<?, ?> m) {
    return (Map<String, T>) m;
  }
}
