package dev.dynconfig.server.chaos;

import dev.dynconfig.internal.files.AtomicFiles;
import dev.dynconfig.server.ServerMain;

/**
 * The server's {@code main} in a JVM that halts (exit code {@value #EXIT_CODE}, no shutdown hooks)
 * in every atomic write after the temporary file is forced and before it is renamed: a crash at the
 * worst moment, for {@link CrashTest}.
 */
public final class CrashingServerMain {
  static final int EXIT_CODE = 86;

  private CrashingServerMain() {}

  public static void main(String[] args) throws Exception {
    AtomicFiles.beforeRename(() -> Runtime.getRuntime().halt(EXIT_CODE));
    ServerMain.main(args);
  }
}
