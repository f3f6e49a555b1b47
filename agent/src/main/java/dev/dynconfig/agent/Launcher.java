package dev.dynconfig.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * {@code Main-Class} of {@code dynconfig.jar}: {@code java -jar dynconfig.jar serve ...} starts the
 * config server, {@code hash-token} prints a {@code users.json} entry for it, {@code import}/{@code
 * export} move a document between a flag file and a store, {@code inventory ...} scans class files,
 * every other command ({@code validate}, {@code eval}, {@code assign}) goes to the CLI. All are
 * looked up reflectively so this jar builds and runs even while one of them is missing, and says so
 * clearly.
 */
public final class Launcher {
  private static final String SERVER = "dev.dynconfig.server.ServerMain";
  private static final String CLI = "dev.dynconfig.internal.cli.Cli";
  private static final String TRANSFER = "dev.dynconfig.server.StoreTransfer";
  private static final String HASH_TOKEN = "dev.dynconfig.server.HashTokenMain";
  private static final String INVENTORY = "dev.dynconfig.agent.internal.Inventory";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    if (args.length > 0 && args[0].equals("serve")) {
      run(SERVER, Arrays.copyOfRange(args, 1, args.length), "the config server ('serve')");
    } else if (args.length > 0 && (args[0].equals("import") || args[0].equals("export"))) {
      run(TRANSFER, args, "moving documents between a file and a store (import, export)");
    } else if (args.length > 0 && args[0].equals("hash-token")) {
      run(HASH_TOKEN, Arrays.copyOfRange(args, 1, args.length), "the server's 'hash-token'");
    } else if (args.length > 0 && args[0].equals("inventory")) {
      dev.dynconfig.agent.internal.log.AgentLogger.setLevel(
          System.getProperty("dynconfig.logLevel", "warn"));
      run(INVENTORY, Arrays.copyOfRange(args, 1, args.length), "the inventory ('inventory')");
    } else {
      // The CLI prints its own results; the engine's INFO lines ("Applied flags.json ...") would
      // only be noise on stderr. -Ddynconfig.logLevel=info brings them back.
      dev.dynconfig.agent.internal.log.AgentLogger.setLevel(
          System.getProperty("dynconfig.logLevel", "warn"));
      run(CLI, args, "the command-line tool (validate, eval, assign)");
    }
  }

  private static void run(String className, String[] args, String what) throws Throwable {
    Method main;
    try {
      main = Class.forName(className).getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println(
          "dynconfig: "
              + what
              + " is not part of this build ("
              + className
              + ".main not found). Rebuild with 'mvn -B -DskipTests package'.");
      System.exit(2);
      return;
    }
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
