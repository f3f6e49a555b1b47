package dev.dynconfig.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does with a {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code
 * StackOverflowError}, …) caught in any of its threads: after one, the JVM can no longer be trusted
 * (a thread may have died half way through a write, a lock may be held for ever), and a process
 * that stays alive but answers nothing is worse than one that exits, because a supervisor restarts
 * only the latter. So the error is logged once and {@code onFatal} runs; by default it exits the
 * process with {@link #EXIT_CODE}.
 */
final class FatalErrors {
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

  /** The exit code of a server stopped by a fatal error ({@code EX_SOFTWARE}). */
  static final int EXIT_CODE = 70;

  /**
   * Exits the JVM: {@code System.exit} on a fresh thread (shutdown hooks run), and {@code halt}
   * after ten seconds should a hook hang.
   */
  static final Consumer<Throwable> EXIT_PROCESS =
      t -> {
        Thread halt =
            new Thread(
                () -> {
                  try {
                    TimeUnit.SECONDS.sleep(10);
                  } catch (InterruptedException ignored) {
                    // halt now
                  }
                  Runtime.getRuntime().halt(EXIT_CODE);
                },
                "dynconfig-fatal-halt");
        halt.setDaemon(true);
        halt.start();
        Thread exit = new Thread(() -> System.exit(EXIT_CODE), "dynconfig-fatal-exit");
        exit.setDaemon(true);
        exit.start();
      };

  private final Consumer<Throwable> onFatal;
  private final AtomicBoolean fired = new AtomicBoolean();

  FatalErrors(Consumer<Throwable> onFatal) {
    this.onFatal = onFatal;
  }

  /** Whether {@code t} or one of its causes is a {@link VirtualMachineError}. */
  static boolean isFatal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof VirtualMachineError) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /**
   * Stops the server when {@code t} is fatal; otherwise does nothing. {@code where} names the
   * thread's job for the log. Never throws.
   */
  void check(Throwable t, String where) {
    if (t == null || !isFatal(t) || !fired.compareAndSet(false, true)) {
      return;
    }
    try {
      log.error(
          "Fatal {} in {} (thread {}): stopping the server process with exit code {} so that its"
              + " supervisor restarts it",
          t,
          where,
          Thread.currentThread().getName(),
          EXIT_CODE);
    } catch (Throwable logFailed) {
      // Out of memory while logging: stopping matters more than the message.
    }
    try {
      onFatal.accept(t);
    } catch (Throwable handlerFailed) {
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  /** {@code task}, reporting a fatal error it throws before Netty's executor swallows it. */
  Runnable guard(Runnable task, String where) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        check(t, where);
        throw t;
      }
    };
  }
}
