package dev.dynconfig.agent.internal;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a {@link Site} keeps at run time that may reach its application's classes: the context
 * readers of its class loader (method handles into the application's {@code MDC}), and for a
 * {@code @ConfigValue} its generic return type and last converted value (possibly an application
 * enum or record). It is owned by the site's class (a {@link ClassValue}), and the site sees it
 * only through a weak reference, so an undeployed web application's classes and loader are
 * collected with everything the agent learnt about them.
 */
final class SiteState {
  /** The states of the sites declared by a class, kept alive by that class alone. */
  private static final ClassValue<List<SiteState>> BY_OWNER =
      new ClassValue<>() {
        @Override
        protected List<SiteState> computeValue(Class<?> type) {
          return new CopyOnWriteArrayList<>();
        }
      };

  static final WeakReference<SiteState> NONE = new WeakReference<>(null);

  final ContextReaders readers;

  /** {@code @ConfigValue}: the raw value last converted and its conversion; replaced on change. */
  volatile Site.Converted converted;

  /** {@code @ConfigValue}: the method's generic return type, resolved on first conversion. */
  volatile java.lang.reflect.Type returnType;

  /** {@code @ConfigValue} of an application type: the conversion's own caches (see Site). */
  volatile com.fasterxml.jackson.databind.ObjectMapper mapper;

  private SiteState(ContextReaders readers) {
    this.readers = readers;
  }

  /** A new state for a site declared by {@code owner}, alive as long as {@code owner} is. */
  static SiteState attach(Class<?> owner) {
    SiteState state = new SiteState(ContextReaders.forLoader(owner.getClassLoader()));
    BY_OWNER.get(owner).add(state);
    return state;
  }
}
