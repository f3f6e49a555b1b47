package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar is also the command-line tool ({@code java -jar dynconfig.jar validate|eval|assign}
 * as the README shows): exit codes, and stdout that is exactly the answer (logs stay off stdout,
 * and the engine's INFO lines stay out of the way).
 */
class CommandLineIT {
  @TempDir Path dir;

  @Test
  void validate_acceptsAGoodFile_andNamesPathValueAndReasonOfABadOne() throws Exception {
    Path good = file("good.json", Fixtures.document(7, true, 1500, 34, 33, 33));
    Path bad = file("bad.json", Fixtures.document(7, true, 1500, 90, 33, 33));

    Result ok = run("validate", good.toString());
    Result refused = run("validate", bad.toString());

    assertThat(ok.exit).isZero();
    assertThat(ok.out).startsWith("OK ").contains("good.json");
    assertThat(refused.exit).isEqualTo(1);
    assertThat(refused.out).contains("bad.json").contains("tests[0].allocation").contains("156");
  }

  @Test
  void eval_printsOneJsonObject_andNothingElse() throws Exception {
    Path flags = file("flags.json", Fixtures.document(7, true, 1500, 34, 33, 33));

    Result r = run("eval", flags.toString(), "new-pricing", "--context", "{\"userId\":\"u1\"}");

    assertThat(r.exit).isZero();
    assertThat(r.out.strip()).isEqualTo("{\"value\":true,\"reason\":\"DEFAULT\"}");
    assertThat(r.err).doesNotContain("INFO");
  }

  @Test
  void assign_printsTheVariantAndItsConfig_orWhyNot() throws Exception {
    Path flags = file("flags.json", Fixtures.document(7, true, 1500, 0, 100, 0));

    Result in = run("assign", flags.toString(), "checkout-experiment", "user-1");
    Result unknown = run("assign", flags.toString(), "no-such-test", "user-1");

    assertThat(in.out.strip()).startsWith("{\"variant\":\"variant-a\"");
    assertThat(unknown.out.strip()).startsWith("{\"variant\":null,\"reason\":");
  }

  @Test
  void unknownCommand_exitsWithUsage() throws Exception {
    Result r = run("frobnicate");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.out + r.err).contains("validate").contains("serve");
  }

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(ChildJvm.java(), "-jar", ChildJvm.AGENT_JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    // Small outputs: reading both streams to the end after exit cannot fill a pipe buffer.
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("dynconfig " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
