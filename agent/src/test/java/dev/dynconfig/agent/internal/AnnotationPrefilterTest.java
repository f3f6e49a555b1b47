package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.fixture.Greeter;
import com.acme.fixture.Pricing;
import com.acme.fixture.Refused;
import com.acme.itapp.ExitApp;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;

/**
 * The byte pre-filter in front of Byte Buddy: it must pass every class file that carries one of our
 * annotations (or the class would silently stay unrewritten) and should stop the others.
 */
class AnnotationPrefilterTest {

  @Test
  void passes_classFilesThatCarryOurAnnotations() throws IOException {
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(classFile(Pricing.class))).isTrue();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(classFile(Refused.class))).isTrue();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(classFile(Greeter.class))).isTrue();
  }

  @Test
  void stops_classFilesWithoutOurAnnotations() throws IOException {
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(classFile(ExitApp.class))).isFalse();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(classFile(String.class))).isFalse();
  }

  @Test
  void finds_theSequenceAtTheVeryStartAndTheVeryEnd() {
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("Ldev/dynconfig/api/"))).isTrue();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("xxLdev/dynconfig/api/"))).isTrue();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("Ldev/dynconfig/api/Toggle;xx")))
        .isTrue();
  }

  @Test
  void stops_truncatedOrNearMissSequences() {
    // one byte short at the end of the array: must not read past it
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("xxLdev/dynconfig/api"))).isFalse();
    // a partial match followed by the real start must still be found after the mismatch
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("LdevLdev/dynconfig/api/")))
        .isTrue();
    // another package with the same prefix, and the runtime's own package, are not ours
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("Ldev/dynconfig/apix/Toggle;")))
        .isFalse();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("Ldev/dynconfig/FeatureFlag;")))
        .isFalse();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(bytes("dev/dynconfig/api/Toggle")))
        .isFalse();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(new byte[0])).isFalse();
    assertThat(AnnotationPrefilter.mayCarryOurAnnotations(null)).isFalse();
  }

  @Test
  void transformer_handsOnlyCandidatesToByteBuddy() throws Exception {
    Recording byteBuddy = new Recording();
    ClassFileTransformer filtered = PrefilteringTransformer.DECORATOR.decorate(byteBuddy);
    byte[] plain = classFile(ExitApp.class);
    byte[] annotated = classFile(Pricing.class);

    assertThat(filtered.transform(null, null, "com/acme/itapp/ExitApp", null, null, plain))
        .isNull();
    assertThat(filtered.transform(null, "com/acme/itapp/ExitApp", null, null, plain)).isNull();
    assertThat(byteBuddy.offered).isEmpty();

    assertThat(filtered.transform(null, null, "com/acme/fixture/Pricing", null, null, annotated))
        .isSameAs(Recording.REWRITTEN);
    assertThat(filtered.transform(null, "com/acme/fixture/Pricing", null, null, annotated))
        .isSameAs(Recording.REWRITTEN);
    assertThat(byteBuddy.offered)
        .containsExactly("module:com/acme/fixture/Pricing", "com/acme/fixture/Pricing");
  }

  /** Stands in for Byte Buddy's transformer: records what it is offered. */
  private static final class Recording extends ResettableClassFileTransformer.AbstractBase {
    static final byte[] REWRITTEN = new byte[0];
    final List<String> offered = new ArrayList<>();

    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String className,
        Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain,
        byte[] classFile) {
      offered.add("module:" + className);
      return REWRITTEN;
    }

    @Override
    public byte[] transform(
        ClassLoader loader,
        String className,
        Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain,
        byte[] classFile) {
      offered.add(className);
      return REWRITTEN;
    }

    @Override
    public Iterator<AgentBuilder.Transformer> iterator(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain) {
      return Collections.emptyIterator();
    }

    @Override
    public boolean reset(
        Instrumentation instrumentation,
        ResettableClassFileTransformer classFileTransformer,
        AgentBuilder.RedefinitionStrategy redefinitionStrategy,
        AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discoveryStrategy,
        AgentBuilder.RedefinitionStrategy.BatchAllocator batchAllocator,
        AgentBuilder.RedefinitionStrategy.Listener listener) {
      return false;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] classFile(Class<?> c) throws IOException {
    String resource = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
