package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.ShopDemo;
import dev.dynconfig.internal.json.Json;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar dynconfig.jar inventory}, as a build runs it: on the real demo jar with its flag
 * file, and on a jar (nested in another, as Spring Boot packs them) whose annotations carry typos.
 */
class InventoryIT {
  private static final Path DEMO_FLAGS = Path.of("../demo/flags.json");

  @TempDir Path dir;

  @Test
  void demo_listsEverySiteWithItsMethods_andHasNoFindings() throws Exception {
    Result r = run("inventory", "--flags", DEMO_FLAGS.toString(), demo().toString());

    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out)
        .contains("new-pricing")
        .contains("com.acme.shop.PricingService#price(")
        .contains("otherwise legacyPrice")
        .contains("control -> checkoutFlow, variant-a -> optimizedFlow")
        .contains("variant-a -> ")
        .contains("checkout.timeoutMs")
        .contains("ui.theme")
        .contains("no findings");
  }

  @SuppressWarnings("unchecked")
  @Test
  void typos_areUnknownKeysWithTheClosestKey_exit1_andUnusedFlagsAreListed() throws Exception {
    Path flags = dir.resolve("flags.json");
    Files.writeString(
        flags,
        Fixtures.document(1, true, 1500, 34, 33, 33)
            .replace(
                "\"flags\": [", "\"flags\": [{\"key\": \"forgotten\", \"defaultValue\": true},"));
    Path inner = dir.resolve("typos.jar");
    jar(inner, List.of("com/acme/itapp/Typos.class", "com/acme/itapp/CommandApp.class"));
    Path outer = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(outer))) {
      out.putNextEntry(new JarEntry("BOOT-INF/lib/typos.jar"));
      out.write(Files.readAllBytes(inner));
    }

    Result table = run("inventory", "--flags", flags.toString(), outer.toString());
    Result json = run("inventory", "--json", "--flags", flags.toString(), outer.toString());

    assertThat(table.exit).isEqualTo(1);
    assertThat(table.out)
        .contains(
            "unknown-key: flag 'new-pricnig' is not defined in flags.json (closest existing key:"
                + " 'new-pricing'); used by com.acme.itapp.Typos#price()")
        .contains("unknown-key: test 'checkout-experimnet'")
        .contains("unknown-key: config 'checkout.timeoutMS'")
        .contains("unused: flag 'forgotten'")
        .contains("unused: flag 'new-pricing'");
    assertThat(json.exit).isEqualTo(1);
    Map<String, Object> result = (Map<String, Object>) Json.read(json.out, "stdout");
    List<Map<String, Object>> findings = (List<Map<String, Object>>) result.get("findings");
    assertThat(findings)
        .filteredOn(f -> f.get("type").equals("unknown-key"))
        .extracting(f -> f.get("key") + " -> " + f.get("closest"))
        .containsExactlyInAnyOrder(
            "new-pricnig -> new-pricing",
            "checkout-experimnet -> checkout-experiment",
            "checkout.timeoutMS -> checkout.timeoutMs");
    assertThat((List<Map<String, Object>>) result.get("sites"))
        .filteredOn(s -> s.get("kind").equals("test"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.get("variants"))
                    .isEqualTo(Map.of("control", "steps", "variant-a", "stepsOptimized")));
  }

  @Test
  void withoutFlags_listsSitesOnly_andExits0() throws Exception {
    Result r = run("inventory", Fixtures.testClasses().resolve("com/acme/itapp").toString());

    assertThat(r.exit).isZero();
    assertThat(r.out).contains("new-pricnig").contains("(no --flags FILE");
  }

  @Test
  void missingInput_exits1_andNoInput_isAUsageError() throws Exception {
    assertThat(run("inventory", dir.resolve("nope.jar").toString()).exit).isEqualTo(1);
    assertThat(run("inventory").exit).isEqualTo(2);
  }

  private static Path demo() throws URISyntaxException {
    return Path.of(ShopDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static void jar(Path jar, List<String> classes) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String c : classes) {
        out.putNextEntry(new JarEntry(c));
        out.write(Files.readAllBytes(Fixtures.testClasses().resolve(c)));
      }
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(ChildJvm.java(), "-jar", ChildJvm.AGENT_JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out), new String(err));
  }
}
