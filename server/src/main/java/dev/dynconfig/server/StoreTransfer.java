package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.files.AtomicFiles;
import dev.dynconfig.internal.json.DocumentException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Moves the document, with its version, between a flag file and a shared store:
 *
 * <pre>
 * import flags.json --store postgresql://host:5432/db?user=name   file  → store
 * export flags.json --store postgresql://host:5432/db?user=name   store → file (atomically)
 * </pre>
 *
 * Import is one ordinary write (validated, in the history, broadcast by every server); it keeps the
 * file's version when that is above the store's, else takes the next one, so clients never see a
 * version go backwards. Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
public final class StoreTransfer {
  static final String USAGE =
      "usage: import flags.json --store postgresql://host:5432/db?user=name\n"
          + "       export flags.json --store postgresql://host:5432/db?user=name\n"
          + "  (password: DYNCONFIG_DB_PASSWORD or a .pgpass file, PGPASSFILE)";

  private StoreTransfer() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dynconfig: " + e.getMessage());
      System.err.println(USAGE);
      code = 2;
    }
    System.exit(code);
  }

  /**
   * Runs one command without exiting; returns the exit code.
   *
   * @throws IllegalArgumentException on wrong usage (exit code 2)
   */
  public static int run(String[] args) {
    if (args.length != 4 || !args[2].equals("--store")) {
      throw new IllegalArgumentException("expected: import|export FILE --store URL");
    }
    String command = args[0];
    Path file = Path.of(args[1]);
    String url = args[3];
    if (!command.equals("import") && !command.equals("export")) {
      throw new IllegalArgumentException("unknown command '" + command + "'");
    }
    ExternalStore.providerFor(url); // a wrong URL is a usage error, before any connection
    try (ExternalStore store =
        ExternalStore.open(url, DocumentValidator.ENGINE, s -> {}, java.time.Clock.systemUTC())) {
      if (command.equals("import")) {
        return importFile(store, file);
      }
      Snapshot s = store.current();
      AtomicFiles.write(file.toAbsolutePath(), s.bytes());
      System.out.println("Exported version " + s.version() + " to " + file);
      return 0;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      System.err.println("dynconfig " + command + ": " + message(e));
      return 1;
    }
  }

  private static int importFile(ExternalStore store, Path file) throws Exception {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      System.err.println("dynconfig import: " + file + " does not exist");
      return 1;
    }
    String origin = file.getFileName().toString();
    DocumentValidator.ENGINE.validate(raw, origin);
    ObjectNode tree = FlagStore.parseObject(raw, origin);
    long version = DocumentShapes.readVersion(tree, DocumentShapes.isFlagd(tree));
    long before = store.current().version();
    Snapshot s =
        store
            .importDocument(
                new Author(System.getProperty("user.name"), Source.API, "import " + file),
                tree,
                version)
            .get();
    System.out.println(
        "Imported "
            + file
            + " as version "
            + s.version()
            + (version > before || version < 0
                ? ""
                : " (its own version " + version + " was not above the store's " + before + ")"));
    return 0;
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof DocumentException || t instanceof AdminException) {
      return t.getMessage();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
