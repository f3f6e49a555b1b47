package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.fixture.Experiments;
import com.acme.fixture.GeneratedPricing;
import com.acme.fixture.Greeter;
import com.acme.fixture.Pricing;
import com.acme.fixture.Refused;
import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rewrite at class load (ASM alone) against the late-attach one (Byte Buddy): the same plans
 * for every fixture, and no class loaded to make them.
 */
class ClassRewriterTest {

  @Test
  void classLoadAndLateAttach_planTheSameRewrites() {
    for (Class<?> c :
        List.of(
            Pricing.class,
            GeneratedPricing.class,
            Refused.class,
            Greeter.class,
            Experiments.class)) {
      SitePlanner atLoad = new SitePlanner(new SiteRegistry());
      SitePlanner late = new SitePlanner(new SiteRegistry());
      Map<String, String> loadPlans =
          describe(new Rewriter(Rewriter.Path.CLASS_LOAD, atLoad, c).plans(c));
      Map<String, String> latePlans =
          describe(new Rewriter(Rewriter.Path.LATE_ATTACH, late, c).plans(c));
      assertThat(loadPlans).as(c.getName()).isEqualTo(latePlans);
    }
  }

  @Test
  void rewrite_readsSuperTypesAsResources_andLoadsNoClass() throws IOException {
    List<String> loaded = new ArrayList<>();
    ClassLoader recording =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            loaded.add(name);
            return super.loadClass(name, resolve);
          }
        };
    ClassRewriter rewriter = new ClassRewriter(new SitePlanner(new SiteRegistry()));

    // An otherwise method inherited from PricingBase; a narrower otherwise return type (Integer
    // for Number), which needs Integer's super types.
    assertThat(
            rewriter.rewrite(
                GeneratedPricing.class.getName(), classFile(GeneratedPricing.class), recording))
        .isNotNull();
    assertThat(rewriter.rewrite(Pricing.class.getName(), classFile(Pricing.class), recording))
        .isNotNull();
    assertThat(loaded).isEmpty();
  }

  @Test
  void classWithoutAcceptedAnnotation_isLeftAsItIs() throws IOException {
    ClassRewriter rewriter = new ClassRewriter(new SitePlanner(new SiteRegistry()));
    assertThat(
            rewriter.rewrite(
                Refused.class.getName(), classFile(Refused.class), getClass().getClassLoader()))
        .isNull();
  }

  /**
   * A property missing from a class file has its default, which the planner assumes is "" or false.
   */
  @Test
  void annotationDefaults_areWhatThePlannerAssumes() {
    for (Class<?> annotation : List.of(Toggle.class, Variant.class, ConfigValue.class)) {
      for (Method p : annotation.getDeclaredMethods()) {
        Object value = p.getDefaultValue();
        if (value != null) {
          assertThat(value).as(p.toString()).isIn("", false);
        }
      }
    }
  }

  /** Plans without their site ids (each planner numbers its own sites). */
  private static Map<String, String> describe(Map<String, MethodPlan> plans) {
    Map<String, String> described = new TreeMap<>();
    plans.forEach(
        (method, p) ->
            described.put(
                method,
                p.kind()
                    + " static="
                    + p.isStatic()
                    + " args="
                    + Arrays.toString(p.argumentTypes())
                    + " returns="
                    + p.returnType()
                    + " otherwise="
                    + p.otherwise()
                    + " siblings="
                    + p.siblings()));
    return described;
  }

  private static byte[] classFile(Class<?> c) throws IOException {
    String resource = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
