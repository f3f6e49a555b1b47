package dev.dynconfig.agent.internal.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent's (shaded, relocated) SLF4J: every engine log line goes to stderr
 * as {@code [dynconfig] LEVEL message}, at the level of the agent option {@code logLevel}.
 *
 * <p>Why not the shaded slf4j-simple: it reads {@code simplelogger.properties} from the class path
 * and {@code org.slf4j.simpleLogger.*} system properties, both of which belong to the application
 * (relocation does not rename a resource looked up by a computed name), and it has no fixed prefix.
 * This provider reads nothing from the application. Found by the shaded {@code LoggerFactory}
 * through the relocated service file, so the application's own SLF4J never sees it.
 */
public final class AgentLogProvider implements SLF4JServiceProvider {
  private final AgentLoggerFactory loggerFactory = new AgentLoggerFactory();
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}
}
