package dev.dynconfig.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads well-formed JSON documents (an object or array at the root) into the same plain values as
 * {@link Json#read}'s Jackson reader, without loading Jackson. It is deliberately narrower than
 * Jackson: whatever it is not sure about (any syntax error, invalid or unusual UTF-8, a duplicate
 * key, deep nesting, very long strings or numbers, trailing content) makes it give up, and the
 * caller then reads the document with Jackson, which accepts or rejects it with its own messages.
 * So it only ever speeds up documents Jackson accepts and never changes a result or an error.
 *
 * <p>Why it exists: the agent reads its flag file before the application's {@code main}, and
 * Jackson's factory and parser cost ~80 classes and their initialization on that path.
 */
final class StrictJsonReader {
  /** Nesting beyond this is left to Jackson, which enforces {@link Json#MAX_DEPTH}. */
  private static final int MAX_DEPTH = Json.MAX_DEPTH - 2;

  /**
   * Strings spanning more input bytes are left to Jackson, which enforces {@link
   * Json#MAX_STRING_LENGTH}.
   */
  private static final int MAX_STRING = Json.MAX_STRING_LENGTH / 2;

  /** Names spanning more input bytes are left to Jackson (its limit is 10,000 UTF-8 bytes). */
  private static final int MAX_NAME = 5_000;

  /** Longer numbers are left to Jackson (its number limit is 400 characters). */
  private static final int MAX_NUMBER = 100;

  /** Integers with at most this many digits always fit in a long. */
  private static final int SAFE_LONG_DIGITS = 18;

  private static final GiveUp GIVE_UP = new GiveUp();

  private final byte[] b;
  private int i;

  private StrictJsonReader(byte[] content) {
    this.b = content;
  }

  /**
   * The document's value, or null when this reader is not sure (then read it with Jackson). Never
   * throws for any input.
   */
  static Object read(byte[] content) {
    try {
      return new StrictJsonReader(content).document();
    } catch (RuntimeException e) {
      // GiveUp, or an index past the end of truncated input; Jackson will report what is wrong.
      return null;
    }
  }

  private Object document() {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      i = 3; // UTF-8 byte order mark, which Jackson skips too
    }
    skipWhitespace();
    if (i >= b.length || (b[i] != '{' && b[i] != '[')) {
      throw GIVE_UP;
    }
    Object value = value(0);
    skipWhitespace();
    if (i != b.length) {
      throw GIVE_UP;
    }
    return value;
  }

  private Object value(int depth) {
    switch (b[i]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string(MAX_STRING);
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        return number();
    }
  }

  private Map<String, Object> object(int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (b[i] == '}') {
      i++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      if (b[i] != '"') {
        throw GIVE_UP;
      }
      String name = string(MAX_NAME);
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = value(depth);
      if (map.containsKey(name)) {
        throw GIVE_UP; // Jackson reports duplicate keys
      }
      map.put(name, value);
      skipWhitespace();
      byte c = b[i++];
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      skipWhitespace();
    }
  }

  private List<Object> array(int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i++; // [
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (b[i] == ']') {
      i++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      list.add(value(depth));
      skipWhitespace();
      byte c = b[i++];
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      skipWhitespace();
    }
  }

  private String string(int maxLength) {
    int start = ++i; // after the opening quote
    while (true) {
      byte c = b[i];
      if (c == '"') {
        if (i - start > maxLength) {
          throw GIVE_UP;
        }
        String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1); // ASCII only
        i++;
        return s;
      }
      if (c == '\\' || c < 0x20) { // c < 0: a byte >= 0x80, i.e. UTF-8 beyond ASCII
        break;
      }
      i++;
    }
    StringBuilder s = new StringBuilder(i - start + 16);
    s.append(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
    while (true) {
      // Counted in input bytes: Jackson limits names in UTF-8 bytes and values in characters, and
      // the input spans at least as many bytes as either.
      if (i - start > maxLength) {
        throw GIVE_UP;
      }
      int c = b[i++] & 0xFF;
      if (c == '"') {
        return s.toString();
      }
      if (c == '\\') {
        escape(s);
      } else if (c < 0x20) {
        throw GIVE_UP; // unescaped control character
      } else if (c < 0x80) {
        s.append((char) c);
      } else {
        utf8(s, c);
      }
    }
  }

  private void escape(StringBuilder s) {
    int c = b[i++];
    switch (c) {
      case '"' -> s.append('"');
      case '\\' -> s.append('\\');
      case '/' -> s.append('/');
      case 'b' -> s.append('\b');
      case 'f' -> s.append('\f');
      case 'n' -> s.append('\n');
      case 'r' -> s.append('\r');
      case 't' -> s.append('\t');
      case 'u' -> {
        int v = 0;
        for (int k = 0; k < 4; k++) {
          v = (v << 4) | hex(b[i++]);
        }
        if (Character.isSurrogate((char) v)) {
          throw GIVE_UP; // Jackson checks escaped surrogate pairs in names; leave them all to it
        }
        s.append((char) v);
      }
      default -> throw GIVE_UP;
    }
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw GIVE_UP;
  }

  /**
   * Decodes one multi-byte UTF-8 sequence starting with {@code c}, strictly (no overlong forms, no
   * encoded surrogates, nothing above U+10FFFF); anything else is left to Jackson.
   */
  private void utf8(StringBuilder s, int c) {
    if (c >= 0xC2 && c <= 0xDF) {
      s.append((char) (((c & 0x1F) << 6) | continuation(0x80, 0xBF)));
    } else if (c >= 0xE0 && c <= 0xEF) {
      int lo = c == 0xE0 ? 0xA0 : 0x80;
      int hi = c == 0xED ? 0x9F : 0xBF;
      int c1 = continuation(lo, hi);
      int c2 = continuation(0x80, 0xBF);
      s.append((char) (((c & 0x0F) << 12) | (c1 << 6) | c2));
    } else if (c >= 0xF0 && c <= 0xF4) {
      int lo = c == 0xF0 ? 0x90 : 0x80;
      int hi = c == 0xF4 ? 0x8F : 0xBF;
      int c1 = continuation(lo, hi);
      int c2 = continuation(0x80, 0xBF);
      int c3 = continuation(0x80, 0xBF);
      s.appendCodePoint(((c & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3);
    } else {
      throw GIVE_UP;
    }
  }

  /** The low six bits of the next byte, which must lie in {@code [lo, hi]}. */
  private int continuation(int lo, int hi) {
    int c = b[i++] & 0xFF;
    if (c < lo || c > hi) {
      throw GIVE_UP;
    }
    return c & 0x3F;
  }

  private Object number() {
    int start = i;
    if (b[i] == '-') {
      i++;
    }
    if (b[i] == '0') {
      i++;
      if (i < b.length && isDigit(b[i])) {
        throw GIVE_UP; // leading zero
      }
    } else if (isDigit(b[i])) {
      digits();
    } else {
      throw GIVE_UP;
    }
    boolean integer = true;
    if (i < b.length && b[i] == '.') {
      integer = false;
      i++;
      digits();
    }
    if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      if (b[i] == '+' || b[i] == '-') {
        i++;
      }
      digits();
    }
    int length = i - start;
    if (length > MAX_NUMBER) {
      throw GIVE_UP;
    }
    String text = new String(b, start, length, StandardCharsets.ISO_8859_1);
    if (integer) {
      int digits = b[start] == '-' ? length - 1 : length;
      if (digits <= SAFE_LONG_DIGITS) {
        return Long.parseLong(text);
      }
      BigInteger big = new BigInteger(text);
      // As Jackson: a long when it fits, else the big integer as a BigDecimal.
      return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
    }
    double d = Double.parseDouble(text);
    return Double.isFinite(d) ? (Object) d : new BigDecimal(text);
  }

  /** One or more digits. */
  private void digits() {
    if (!isDigit(b[i])) {
      throw GIVE_UP;
    }
    do {
      i++;
    } while (i < b.length && isDigit(b[i]));
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (b[i++] != word.charAt(k)) {
        throw GIVE_UP;
      }
    }
  }

  private void expect(char c) {
    if (b[i++] != c) {
      throw GIVE_UP;
    }
  }

  private void skipWhitespace() {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  /** Thrown (one shared, stackless instance) to abandon the fast path. */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super("not handled by the strict reader", null, false, false);
    }
  }
}
