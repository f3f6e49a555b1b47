package dev.dynconfig.internal.document;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import java.util.Map;

/**
 * Reads and validates flag documents, native or flagd, JSON or YAML. {@link #parse} accepts a
 * document whole or rejects it whole, with every problem listed as {@code path: value reason}
 * ({@code validate}, the server's admin writes). {@link #load}, what the engine serves from, does
 * the same except for one thing, as flagd does: a flagd flag whose targeting does not compile
 * (unknown operator, {@code $ref} to an undefined evaluator ...) is kept as broken instead of
 * rejecting the file. Native documents and structural problems are never lenient.
 *
 * <p>The format is {@link FormatDetection}'s answer (flagd's daemon also accepts an array of flags
 * with a {@code key} each). A document that declares the providers' schema ({@code "$schema":
 * ".../flags.json"}) must use the object form, as that schema requires.
 */
public final class DocumentParser {
  private DocumentParser() {}

  /**
   * Parses and validates a document.
   *
   * @param content the raw bytes (UTF-8 JSON or YAML)
   * @param origin the file name or URL, used in error messages
   * @throws DocumentException listing every problem as {@code path: value reason}
   */
  public static Document parse(byte[] content, String origin) throws DocumentException {
    return validate(Json.read(content, origin), origin);
  }

  /** As {@link #parse(byte[], String)} for text. */
  public static Document parse(String content, String origin) throws DocumentException {
    return validate(Json.read(content, origin), origin);
  }

  /**
   * Parses a document for serving: as {@link #parse(byte[], String)}, but a flagd flag whose
   * targeting does not compile is kept, listed in {@link Document#brokenFlags()}, while every other
   * flag of the file works. Anything else wrong still rejects the whole document.
   *
   * @throws DocumentException listing every problem as {@code path: value reason}
   */
  public static Document load(byte[] content, String origin) throws DocumentException {
    return check(Json.read(content, origin), origin, true);
  }

  /**
   * Validates a document already read into plain JSON values (maps, lists, strings, numbers,
   * booleans, null) — e.g. one the server assembled from admin writes.
   */
  public static Document validate(Object tree, String origin) throws DocumentException {
    return check(tree, origin, false);
  }

  private static Document check(Object tree, String origin, boolean keepBrokenFlagdFlags)
      throws DocumentException {
    if (!(tree instanceof Map)) {
      throw new DocumentException(
          origin,
          java.util.List.of(
              new DocumentException.Problem(
                  "$", Json.render(tree), "is not a JSON object; a flag document is an object")));
    }
    return new Validator(origin, keepBrokenFlagdFlags).validate(asMap(tree));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object tree) {
    return (Map<String, Object>) tree;
  }
}
