package dev.dynconfig.jmx;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small application using the library with JMX, run in its own JVM by {@link
 * RemoteJmxForkedJvmTest}: it evaluates a flag only when told to on stdin ({@code eval <flag>}), so
 * the test knows exactly how many evaluations were made, and prints {@code RESULT <flag> <value>}.
 */
public final class JmxTestApp {
  private JmxTestApp() {}

  public static void main(String[] args) throws Exception {
    DynamicConfig config =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .file(Path.of(args[0]))
                .environment("production")
                .registerJmx(true)
                .build());
    config.initialize();
    System.out.println("READY");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      line = line.strip();
      if (line.startsWith("eval ")) {
        String flag = line.substring(5).strip();
        System.out.println("RESULT " + flag + " " + config.isFlagEnabled(flag));
      } else if (line.equals("quit")) {
        break;
      }
    }
    config.shutdown();
    System.out.println("BYE");
  }
}
