package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.Test;

/**
 * Walks every entry of the real dynconfig.jar: everything bundled, the engine included, must be
 * relocated under {@code dev/dynconfig/shaded/}, so an application's own Jackson, Netty, SLF4J,
 * Byte Buddy or dynconfig-runtime never clash with ours.
 */
class JarContentsIT {

  @Test
  void everyClass_isOursOrRelocated_andEveryServiceFileIsRelocated() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        if (e.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        if (name.startsWith("META-INF/services/")) {
          String service = name.substring("META-INF/services/".length());
          if (!service.startsWith("dev.dynconfig.")) {
            offenders.add(name + " (service file not relocated)");
          }
          for (String line : read(jar, e).split("\n")) {
            String impl = line.replaceAll("#.*", "").trim();
            if (!impl.isEmpty() && !impl.startsWith("dev.dynconfig.")) {
              offenders.add(name + " names unrelocated " + impl);
            }
          }
        } else if (name.startsWith("META-INF/")) {
          if (name.endsWith(".class")) {
            offenders.add(name + " (class under META-INF, e.g. a multi-release variant)");
          }
        } else if (!shared(name) && !name.startsWith("dev/dynconfig/shaded/")) {
          // The engine too: an application's own dynconfig-runtime must never meet ours.
          offenders.add(name);
        }
      }
    }
    assertThat(offenders).as("entries outside dev/dynconfig/ or unrelocated").isEmpty();
  }

  @Test
  void bootstrapBridgeApiAndAgentMain_referenceOnlyJreTypes() throws IOException {
    Set<String> foreign = new TreeSet<>();
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        boolean tiny =
            name.startsWith("dev/dynconfig/bootstrap/")
                || name.startsWith("dev/dynconfig/api/")
                || name.startsWith("dev/dynconfig/agent/AgentMain")
                || name.startsWith("dev/dynconfig/agent/Launcher");
        if (!tiny || !name.endsWith(".class")) {
          continue;
        }
        String own = name.substring(0, name.lastIndexOf('/') + 1);
        // The launcher's helpers moved with the engine under dev/dynconfig/shaded/engine/.
        String relocatedOwn = own.replace("dev/dynconfig/", "dev/dynconfig/shaded/engine/");
        try (InputStream in = jar.getInputStream(e)) {
          new ClassReader(in)
              .accept(
                  new ClassRemapper(
                      new ClassWriter(0),
                      new Remapper() {
                        @Override
                        public String map(String type) {
                          if (!type.startsWith("java/")
                              && !type.startsWith(own)
                              && !type.startsWith(relocatedOwn)) {
                            foreign.add(name + " -> " + type);
                          }
                          return type;
                        }
                      }),
                  0);
        }
      }
    }
    assertThat(foreign).isEmpty();
  }

  @Test
  void noFaultInjectionShips_itLivesInTheTestOnlyFaultAgent() throws IOException {
    Set<String> offenders = new TreeSet<>();
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        if (name.contains("Fault") || name.contains("testagent")) {
          offenders.add(name);
        }
        if (name.startsWith("dev/dynconfig/") && name.endsWith(".class")) {
          try (InputStream in = jar.getInputStream(e)) {
            // Constant pool strings are stored as (modified) UTF-8: ASCII searches find them.
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (String word :
                new String[] {"faultInjection", "fault injected", "dynconfig.test."}) {
              if (text.contains(word)) {
                offenders.add(name + " mentions '" + word + "'");
              }
            }
          }
        }
      }
    }
    assertThat(offenders).as("test-only fault injection in dynconfig.jar").isEmpty();
    try (JarFile faults = new JarFile(ChildJvm.FAULT_AGENT_JAR.toFile())) {
      assertThat(faults.getEntry("dev/dynconfig/testagent/FaultInjection.class"))
          .as("the fault agent was built beside it")
          .isNotNull();
    }
  }

  @Test
  void manifest_declaresAgentEntryPointsAndLauncher() throws IOException {
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("dev.dynconfig.agent.AgentMain");
      assertThat(main.getValue("Agent-Class")).isEqualTo("dev.dynconfig.agent.AgentMain");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(main.getValue("Main-Class")).isEqualTo("dev.dynconfig.agent.Launcher");
    }
  }

  @Test
  void manifest_listsExactlyTheBootstrapAndApiClasses_thatPremainCopies() throws IOException {
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      String listed = jar.getManifest().getMainAttributes().getValue("Dynconfig-Bootstrap-Classes");
      assertThat(listed).as("Dynconfig-Bootstrap-Classes in the manifest").isNotBlank();
      List<String> inJar =
          jar.stream()
              .map(JarEntry::getName)
              .filter(
                  n ->
                      n.startsWith("dev/dynconfig/bootstrap/")
                          || n.startsWith("dev/dynconfig/api/"))
              .filter(n -> n.endsWith(".class"))
              .toList();
      assertThat(List.of(listed.trim().split(" +")))
          .as(
              "agent/pom.xml's Dynconfig-Bootstrap-Classes must name every class of"
                  + " dev.dynconfig.bootstrap and dev.dynconfig.api: premain copies only those")
          .containsExactlyInAnyOrderElementsOf(inJar);
    }
  }

  /**
   * The only names dynconfig.jar shares with the application: the bootstrap bridge, the api, and
   * the two entry points the manifest names.
   */
  private static boolean shared(String name) {
    return name.startsWith("dev/dynconfig/bootstrap/")
        || name.startsWith("dev/dynconfig/api/")
        || name.startsWith("dev/dynconfig/agent/AgentMain")
        || name.startsWith("dev/dynconfig/agent/Launcher");
  }

  private static String read(JarFile jar, JarEntry e) throws IOException {
    try (InputStream in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
