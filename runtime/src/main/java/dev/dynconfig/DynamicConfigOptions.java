package dev.dynconfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link DynamicConfig}, named as in the seed ({@code pollingInterval}, {@code
 * enableWebSocket}, {@code cacheDuration}, {@code retry}, {@code fallback}) plus the JVM-specific
 * ones. Immutable; build with {@link #builder()}.
 */
public final class DynamicConfigOptions {
  private final String environment;
  private final SourceKind source;
  private final Path file;
  private final URI url;
  private final List<URI> urls;
  private final String token;
  private final Duration pollingInterval;
  private final boolean enableWebSocket;
  private final Duration cacheDuration;
  private final Path cacheFile;
  private final RetryOptions retry;
  private final Fallback fallback;
  private final Duration initTimeout;
  private final boolean registerJmx;
  private final Duration jmxRegistrationDelay;
  private final Clock clock;
  private final BucketingVersion bucketing;

  private DynamicConfigOptions(Builder b) {
    this.environment = b.environment;
    this.source =
        b.source != null ? b.source : (b.file != null ? SourceKind.FILE : SourceKind.NONE);
    this.file = b.file;
    this.url = b.urls.isEmpty() ? null : b.urls.get(0);
    this.urls = b.urls;
    this.token = b.token;
    this.pollingInterval = b.pollingInterval;
    this.enableWebSocket = b.enableWebSocket;
    this.cacheDuration = b.cacheDuration;
    this.cacheFile = b.cacheFile;
    this.retry = b.retry;
    this.fallback = b.fallback;
    this.initTimeout = b.initTimeout;
    this.registerJmx = b.registerJmx;
    this.jmxRegistrationDelay = b.jmxRegistrationDelay;
    this.clock = b.clock;
    this.bucketing = b.bucketing;
    if (source == SourceKind.FILE && file == null) {
      throw new IllegalArgumentException("source=file needs a file (option 'file')");
    }
    if ((source == SourceKind.REMOTE || source == SourceKind.WEBSOCKET) && url == null) {
      throw new IllegalArgumentException("source=" + source.name().toLowerCase() + " needs a url");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: environment {@code production}, no source, seed defaults for the rest. */
  public static DynamicConfigOptions defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.environment = environment;
    b.source = source;
    b.file = file;
    b.urls = urls;
    b.token = token;
    b.pollingInterval = pollingInterval;
    b.enableWebSocket = enableWebSocket;
    b.cacheDuration = cacheDuration;
    b.cacheFile = cacheFile;
    b.retry = retry;
    b.fallback = fallback;
    b.initTimeout = initTimeout;
    b.registerJmx = registerJmx;
    b.jmxRegistrationDelay = jmxRegistrationDelay;
    b.clock = clock;
    b.bucketing = bucketing;
    return b;
  }

  /** The environment used when a context names none. */
  public String environment() {
    return environment;
  }

  public SourceKind source() {
    return source;
  }

  /** The local flag file ({@code source=file}), or null. */
  public Path file() {
    return file;
  }

  /** The server URL ({@code source=remote|websocket}), or null. */
  public URI url() {
    return url;
  }

  /**
   * Every server the client may use, {@link #url()} first: it connects to one and moves to the next
   * after a failure (option {@code url} with several URLs separated by {@code |}).
   */
  public List<URI> urls() {
    return urls;
  }

  /** The read token sent as {@code Authorization: Bearer}, or null. */
  public String token() {
    return token;
  }

  /** How often HTTP polling asks for a new document (also the WebSocket's fallback). */
  public Duration pollingInterval() {
    return pollingInterval;
  }

  public boolean enableWebSocket() {
    return enableWebSocket;
  }

  /** How old the offline cache may be and still be served at start-up. */
  public Duration cacheDuration() {
    return cacheDuration;
  }

  /** The offline cache file; null means {@code ~/.dynconfig/cache/<source-hash>.json}. */
  public Path cacheFile() {
    return cacheFile;
  }

  public RetryOptions retry() {
    return retry;
  }

  public Fallback fallback() {
    return fallback;
  }

  /** How long {@code initialize()} waits for the first remote document (0 = do not wait). */
  public Duration initTimeout() {
    return initTimeout;
  }

  /** Whether {@code initialize()} registers the JMX MBeans. */
  public boolean registerJmx() {
    return registerJmx;
  }

  /**
   * When {@link #registerJmx()} is set: zero (the default) registers the MBeans synchronously in
   * {@code initialize()}; a positive delay registers them later on a daemon thread, after the delay
   * and once a container that installs its own MBeanServer or LogManager has done so (the agent
   * sets this; see {@code dev.dynconfig.jmx.JmxRegistration}).
   */
  public Duration jmxRegistrationDelay() {
    return jmxRegistrationDelay;
  }

  /** The clock used for expiry, test windows and cache age. */
  public Clock clock() {
    return clock;
  }

  /**
   * The bucketing version for documents that do not choose one (top-level {@code "bucketing"}) and
   * for flags and tests registered from code; {@link BucketingVersion#V2} unless set.
   */
  public BucketingVersion bucketing() {
    return bucketing;
  }

  @Override
  public String toString() {
    return "DynamicConfigOptions{environment="
        + environment
        + ", source="
        + source
        + ", file="
        + file
        + ", url="
        + (urls.size() > 1
            ? urls.stream().map(dev.dynconfig.internal.source.remote.RedactedUrl::of).toList()
            : dev.dynconfig.internal.source.remote.RedactedUrl.of(url))
        + ", token="
        + (token == null ? "none" : "***")
        + ", pollingInterval="
        + pollingInterval
        + ", enableWebSocket="
        + enableWebSocket
        + ", cacheDuration="
        + cacheDuration
        + ", cacheFile="
        + cacheFile
        + ", retry="
        + retry
        + ", fallback="
        + fallback
        + ", initTimeout="
        + initTimeout
        + ", registerJmx="
        + registerJmx
        + ", jmxRegistrationDelay="
        + jmxRegistrationDelay
        + ", bucketing="
        + bucketing.label()
        + '}';
  }

  /** Builds {@link DynamicConfigOptions}. */
  public static final class Builder {
    private String environment = "production";
    private SourceKind source;
    private Path file;
    private List<URI> urls = List.of();
    private String token;
    private Duration pollingInterval = Duration.ofSeconds(60);
    private boolean enableWebSocket = true;
    private Duration cacheDuration = Duration.ofMinutes(5);
    private Path cacheFile;
    private RetryOptions retry = RetryOptions.DEFAULT;
    private Fallback fallback = Fallback.CACHE;
    private Duration initTimeout = Duration.ofSeconds(3);
    private boolean registerJmx = false;
    private Duration jmxRegistrationDelay = Duration.ZERO;
    private Clock clock = Clock.systemUTC();
    private BucketingVersion bucketing = BucketingVersion.V2;

    private Builder() {}

    public Builder environment(String environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    public Builder source(SourceKind source) {
      this.source = source;
      return this;
    }

    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    public Builder url(URI url) {
      this.urls = url == null ? List.of() : List.of(url);
      return this;
    }

    /**
     * Several equivalent servers (replicas sharing one store), tried in this order; the first is
     * {@link DynamicConfigOptions#url()}. All must use the same scheme.
     */
    public Builder urls(List<URI> urls) {
      List<URI> copy = List.copyOf(urls);
      for (URI u : copy) {
        if (!Objects.equals(u.getScheme(), copy.get(0).getScheme())) {
          throw new IllegalArgumentException(
              "all servers in url must use the same scheme: " + copy.get(0) + " and " + u);
        }
      }
      this.urls = copy;
      return this;
    }

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder pollingInterval(Duration pollingInterval) {
      this.pollingInterval = positive(pollingInterval, "pollingInterval");
      return this;
    }

    public Builder enableWebSocket(boolean enableWebSocket) {
      this.enableWebSocket = enableWebSocket;
      return this;
    }

    public Builder cacheDuration(Duration cacheDuration) {
      this.cacheDuration = nonNegative(cacheDuration, "cacheDuration");
      return this;
    }

    public Builder cacheFile(Path cacheFile) {
      this.cacheFile = cacheFile;
      return this;
    }

    public Builder retry(RetryOptions retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    public Builder fallback(Fallback fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    public Builder initTimeout(Duration initTimeout) {
      this.initTimeout = nonNegative(initTimeout, "initTimeout");
      return this;
    }

    public Builder registerJmx(boolean registerJmx) {
      this.registerJmx = registerJmx;
      return this;
    }

    /** See {@link DynamicConfigOptions#jmxRegistrationDelay()}; must be >= 0. */
    public Builder jmxRegistrationDelay(Duration jmxRegistrationDelay) {
      this.jmxRegistrationDelay = nonNegative(jmxRegistrationDelay, "jmxRegistrationDelay");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** See {@link DynamicConfigOptions#bucketing()}. */
    public Builder bucketing(BucketingVersion bucketing) {
      this.bucketing = Objects.requireNonNull(bucketing, "bucketing");
      return this;
    }

    public DynamicConfigOptions build() {
      return new DynamicConfigOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be > 0, got " + d);
      }
      return d;
    }

    private static Duration nonNegative(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + d);
      }
      return d;
    }
  }
}
