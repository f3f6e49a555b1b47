package dev.dynconfig.internal.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Bucketing version 3's hash input (flagd's proposal for non-string {@code fractional} values): the
 * value encoded as deterministic CBOR (RFC 8949 §4.2.1: shortest integer and length forms, map keys
 * sorted by their encoded bytes, definite lengths), with numbers normalised first (a float without
 * a fractional part, in the long range, is encoded as that integer; other floats in the shortest of
 * half, single and double precision that keeps the value), then MurmurHash3_x86_32 of those bytes.
 * Strings, numbers and booleans encode into a per-thread buffer without allocating; maps allocate
 * their sorted keys; the {@code [key, bucketingKey]} pair is streamed without any buffer.
 */
final class CborHash {
  private CborHash() {}

  /** Deepest nesting encoded; deeper values are not hashed (the rule yields null). */
  static final int MAX_DEPTH = 64;

  private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

  /** A growable byte buffer, one per thread; a hash uses it from start to finish. */
  static final class Buffer {
    byte[] bytes = new byte[256];
    int size;

    void put(int b) {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[size++] = (byte) b;
    }

    void put(byte[] b) {
      for (byte x : b) {
        put(x);
      }
    }
  }

  /** The unsigned hash of CBOR(value); -1 when value is not a JSON value or nests too deep. */
  static long hash(Object value) {
    Buffer buffer = BUFFER.get();
    buffer.size = 0;
    if (!encode(value, buffer, 0)) {
      return -1;
    }
    return Bucketing.hashBytes(buffer.bytes, buffer.size);
  }

  /** The unsigned hash of the CBOR text string {@code a + b}, without concatenating them. */
  static long hashConcatenation(String a, String b) {
    Buffer buffer = BUFFER.get();
    buffer.size = 0;
    head(3, utf8Length(a) + utf8Length(b), buffer);
    utf8(a, buffer);
    utf8(b, buffer);
    return Bucketing.hashBytes(buffer.bytes, buffer.size);
  }

  /**
   * The unsigned hash of the CBOR array {@code [a, b]} of two text strings, streamed into
   * MurmurHash3 without a buffer: native rollouts and A/B tests call it on the hot path. One method
   * on purpose (like {@link Bucketing#hash(Bucketing.Prefix, String)}): too large for C2 to inline,
   * so it does not grow {@code Engine.evaluate} past the size at which that still inlines into its
   * callers.
   */
  static long hashPair(String a, String b) {
    // state: MurmurHash3's h in the high half, the pending block in the low half
    long state = feed(0, 0, 0x82);
    int count = 1;
    for (int part = 0; part < 2; part++) {
      String s = part == 0 ? a : b;
      int length = utf8Length(s);
      // The text string head: major type 3, shortest argument.
      if (length < 24) {
        state = feed(state, count++, 0x60 | length);
      } else if (length < 0x100) {
        state = feed(state, count++, 0x78);
        state = feed(state, count++, length);
      } else if (length < 0x10000) {
        state = feed(state, count++, 0x79);
        state = feed(state, count++, length >>> 8);
        state = feed(state, count++, length);
      } else {
        state = feed(state, count++, 0x7a);
        for (int shift = 24; shift >= 0; shift -= 8) {
          state = feed(state, count++, length >>> shift);
        }
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          state = feed(state, count++, c);
        } else if (c < 0x800) {
          state = feed(state, count++, 0xc0 | c >>> 6);
          state = feed(state, count++, 0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          state = feed(state, count++, 0xf0 | cp >>> 18);
          state = feed(state, count++, 0x80 | cp >>> 12 & 0x3f);
          state = feed(state, count++, 0x80 | cp >>> 6 & 0x3f);
          state = feed(state, count++, 0x80 | cp & 0x3f);
        } else if (Character.isSurrogate(c)) {
          state = feed(state, count++, '?');
        } else {
          state = feed(state, count++, 0xe0 | c >>> 12);
          state = feed(state, count++, 0x80 | c >>> 6 & 0x3f);
          state = feed(state, count++, 0x80 | c & 0x3f);
        }
      }
    }
    int h = (int) (state >>> 32);
    if ((count & 3) != 0) {
      int k1 = (int) state * 0xcc9e2d51;
      k1 = Integer.rotateLeft(k1, 15);
      h ^= k1 * 0x1b873593;
    }
    return Bucketing.finish(h, count);
  }

  /** Adds byte number {@code index} (0-based) to the streamed hash state. */
  private static long feed(long state, int index, int b) {
    int h = (int) (state >>> 32);
    int block = (int) state | (b & 0xff) << ((index & 3) << 3);
    if ((index & 3) == 3) {
      h = Bucketing.mixBlock(h, block);
      block = 0;
    }
    return (long) h << 32 | (block & 0xffffffffL);
  }

  private static boolean encode(Object v, Buffer out, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    if (v == null) {
      out.put(0xf6);
    } else if (v instanceof Boolean) {
      out.put((Boolean) v ? 0xf5 : 0xf4);
    } else if (v instanceof String) {
      text((String) v, out);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      integer(((Number) v).longValue(), out);
    } else if (v instanceof Double || v instanceof Float) {
      number(((Number) v).doubleValue(), out);
    } else if (v instanceof BigInteger) {
      big(new BigDecimal((BigInteger) v), out);
    } else if (v instanceof BigDecimal) {
      big((BigDecimal) v, out);
    } else if (v instanceof List) {
      List<?> list = (List<?>) v;
      head(4, list.size(), out);
      for (Object item : list) {
        if (!encode(item, out, depth + 1)) {
          return false;
        }
      }
    } else if (v instanceof Map) {
      return map((Map<?, ?>) v, out, depth);
    } else {
      return false; // not a JSON value (an Instant, an application object ...)
    }
    return true;
  }

  private static boolean map(Map<?, ?> m, Buffer out, int depth) {
    List<Object[]> entries = new ArrayList<>(m.size());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        return false;
      }
      Buffer key = new Buffer();
      text((String) e.getKey(), key);
      entries.add(new Object[] {Arrays.copyOf(key.bytes, key.size), e.getValue()});
    }
    entries.sort((x, y) -> Arrays.compareUnsigned((byte[]) x[0], (byte[]) y[0]));
    head(5, entries.size(), out);
    for (Object[] e : entries) {
      out.put((byte[]) e[0]);
      if (!encode(e[1], out, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static void integer(long v, Buffer out) {
    if (v >= 0) {
      head(0, v, out);
    } else {
      head(1, -1 - v, out);
    }
  }

  private static final BigDecimal TWO_POW_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

  private static void big(BigDecimal d, Buffer out) {
    BigDecimal whole = d.stripTrailingZeros();
    if (whole.scale() <= 0 && whole.abs().compareTo(TWO_POW_64) <= 0) {
      BigInteger i = whole.toBigIntegerExact();
      if (i.signum() >= 0 && i.bitLength() <= 64) {
        head(0, i.longValue(), out); // as unsigned
        return;
      }
      BigInteger arg = i.negate().subtract(BigInteger.ONE);
      if (i.signum() < 0 && arg.bitLength() <= 64) {
        head(1, arg.longValue(), out);
        return;
      }
    }
    number(d.doubleValue(), out);
  }

  /** A float: integral values in the long range as integers, else the shortest exact float. */
  private static void number(double d, Buffer out) {
    if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
      integer((long) d, out); // -0.0 too: it is 0
      return;
    }
    int half = exactHalf(d);
    if (half >= 0) {
      out.put(0xf9);
      out.put(half >>> 8);
      out.put(half);
      return;
    }
    float f = (float) d;
    if ((double) f == d) {
      int bits = Float.floatToIntBits(f);
      out.put(0xfa);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.put(bits >>> shift);
      }
      return;
    }
    long bits = Double.doubleToLongBits(d);
    out.put(0xfb);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.put((int) (bits >>> shift));
    }
  }

  /** The IEEE half-precision bits of d when d is exactly representable there (NaN canonical). */
  private static int exactHalf(double d) {
    if (Double.isNaN(d)) {
      return 0x7e00;
    }
    int sign = d < 0 || (d == 0 && 1 / d < 0) ? 0x8000 : 0;
    double a = Math.abs(d);
    if (Double.isInfinite(a)) {
      return sign | 0x7c00;
    }
    if (a == 0) {
      return sign;
    }
    if (a >= 0x1p-14) {
      if (a > 65504) {
        return -1;
      }
      int e = Math.getExponent(a);
      double mantissa = (a / Math.scalb(1.0, e) - 1) * 1024;
      return mantissa == Math.rint(mantissa) ? sign | (e + 15) << 10 | (int) mantissa : -1;
    }
    double subnormal = a * 0x1p24; // multiples of 2^-24
    return subnormal == Math.rint(subnormal) ? sign | (int) subnormal : -1;
  }

  private static void text(String s, Buffer out) {
    head(3, utf8Length(s), out);
    utf8(s, out);
  }

  /** A major type with its argument in the shortest form; n is unsigned. */
  private static void head(int major, long n, Buffer out) {
    int m = major << 5;
    if (n >= 0 && n < 24) {
      out.put(m | (int) n);
    } else if (n >= 0 && n < 0x100) {
      out.put(m | 24);
      out.put((int) n);
    } else if (n >= 0 && n < 0x10000) {
      out.put(m | 25);
      out.put((int) (n >>> 8));
      out.put((int) n);
    } else if (n >= 0 && n < 0x100000000L) {
      out.put(m | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.put((int) (n >>> shift));
      }
    } else {
      out.put(m | 27);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.put((int) (n >>> shift));
      }
    }
  }

  /** The length of String.getBytes(UTF_8) (an unpaired surrogate is one byte, '?'). */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The bytes of String.getBytes(UTF_8), without building the array. */
  private static void utf8(String s, Buffer out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put(c);
      } else if (c < 0x800) {
        out.put(0xc0 | c >>> 6);
        out.put(0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.put(0xf0 | cp >>> 18);
        out.put(0x80 | cp >>> 12 & 0x3f);
        out.put(0x80 | cp >>> 6 & 0x3f);
        out.put(0x80 | cp & 0x3f);
      } else if (Character.isSurrogate(c)) {
        out.put('?');
      } else {
        out.put(0xe0 | c >>> 12);
        out.put(0x80 | c >>> 6 & 0x3f);
        out.put(0x80 | c & 0x3f);
      }
    }
  }
}
