package dev.dynconfig.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

/** The audit log names the JMX principal on JDK 17 (getSubject) and 18+ (Subject.current). */
class PrincipalsTest {

  @Test
  void noSubject_isAnonymous() {
    assertThat(Principals.current()).isNull();
  }

  @Test
  void principalOfTheSubjectRunningTheCall_isReported() throws Exception {
    Subject subject = new Subject(true, Set.of(new JMXPrincipal("alice")), Set.of(), Set.of());
    assertThat(runAs(subject, Principals::current)).isEqualTo("alice");
  }

  /** As the JMX connector runs a request: Subject.callAs (18+) or Subject.doAs (17). */
  static Object runAs(Subject subject, Callable<Object> action) throws Exception {
    try {
      Method callAs = Subject.class.getMethod("callAs", Subject.class, Callable.class);
      return callAs.invoke(null, subject, action);
    } catch (NoSuchMethodException e) {
      Method doAs = Subject.class.getMethod("doAs", Subject.class, PrivilegedExceptionAction.class);
      PrivilegedExceptionAction<Object> a = action::call;
      return doAs.invoke(null, subject, a);
    }
  }
}
