package dev.dynconfig.agent.internal.log;

import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes {@code [dynconfig] LEVEL message} (plus the stack trace, if any) to the current {@code
 * System.err}, read at each call so an application that redirects stderr later is respected.
 */
public final class AgentLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  /** Threshold shared by all agent loggers: 0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 off. */
  private static volatile int threshold = 2;

  AgentLogger(String name) {
    this.name = name;
  }

  /** Sets the level of all agent loggers: trace, debug, info, warn, error or off. */
  public static void setLevel(String level) {
    switch (level.toLowerCase(Locale.ROOT)) {
      case "trace" -> threshold = 0;
      case "debug" -> threshold = 1;
      case "warn" -> threshold = 3;
      case "error" -> threshold = 4;
      case "off" -> threshold = 5;
      default -> threshold = 2;
    }
  }

  @Override
  public boolean isTraceEnabled() {
    return threshold <= 0;
  }

  @Override
  public boolean isDebugEnabled() {
    return threshold <= 1;
  }

  @Override
  public boolean isInfoEnabled() {
    return threshold <= 2;
  }

  @Override
  public boolean isWarnEnabled() {
    return threshold <= 3;
  }

  @Override
  public boolean isErrorEnabled() {
    return threshold <= 4;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    PrintStream err = System.err;
    // One println per line so concurrent lines from application threads do not interleave.
    err.println("[dynconfig] " + level + (level.toString().length() == 4 ? "  " : " ") + message);
    if (throwable != null) {
      throwable.printStackTrace(err);
    }
  }
}
