package dev.dynconfig.jmx;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.TreeSet;
import javax.security.auth.Subject;

/**
 * The JMX principal of the current call, for the audit log. A remote JMX connection with
 * authentication runs each request as the authenticated {@link Subject}; the way to read it changed
 * across JDKs, so both are reached by reflection (no deprecation-for-removal warnings, no link
 * errors):
 *
 * <ul>
 *   <li>JDK 18+: {@code Subject.current()} — the only way that works from JDK 24 on, where {@code
 *       Subject.getSubject(AccessControlContext)} throws {@code UnsupportedOperationException}.
 *   <li>JDK 17: {@code Subject.getSubject(AccessController.getContext())}.
 * </ul>
 */
final class Principals {
  private static final Method CURRENT = find();

  private Principals() {}

  /** The principal names of the calling JMX client, comma-separated, or null when anonymous. */
  static String current() {
    try {
      Subject subject = subject();
      if (subject == null) {
        return null;
      }
      TreeSet<String> names = new TreeSet<>();
      for (Principal p : subject.getPrincipals()) {
        names.add(p.getName());
      }
      return names.isEmpty() ? null : String.join(",", names);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // An audit detail must never make the operator's change fail.
      return null;
    }
  }

  private static Subject subject() throws ReflectiveOperationException {
    if (CURRENT != null) {
      return (Subject) CURRENT.invoke(null);
    }
    Class<?> controller = Class.forName("java.security.AccessController");
    Class<?> contextType = Class.forName("java.security.AccessControlContext");
    Object context = controller.getMethod("getContext").invoke(null);
    return (Subject) Subject.class.getMethod("getSubject", contextType).invoke(null, context);
  }

  private static Method find() {
    try {
      return Subject.class.getMethod("current");
    } catch (NoSuchMethodException e) {
      return null; // JDK 17
    }
  }
}
