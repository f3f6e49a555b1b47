package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.READ;
import static dev.dynconfig.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin API acknowledges is what is stored and served: numbers keep every digit, and a
 * body that cannot be taken exactly (duplicate keys, trailing content, too deep) is a 400 with the
 * JSON path, never a silently different value or a 500.
 */
class ExactValuesTest {
  static final ObjectMapper EXACT =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir Path dir;
  DynconfigServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, "{\"version\": 1, \"flags\": [], \"tests\": [], \"config\": {}}");
    server = ServerFixture.builder(f).build().start();
  }

  JsonNode served(String ns, String key) throws Exception {
    HttpResponse<String> r = send(server, "GET", "/v1/flags", READ, null);
    return EXACT.readTree(r.body()).path("config").path(ns).path(key);
  }

  @Test
  void numbers_areStoredAndServedWithEveryDigit() throws Exception {
    start();
    String[] numbers = {
      "1e400", "0.1000000000000000000000000001", "12345678901234567890.123456789", "-0.0", "1.50"
    };
    for (int i = 0; i < numbers.length; i++) {
      HttpResponse<String> r = send(server, "PUT", "/v1/admin/config/n/k" + i, ADMIN, numbers[i]);
      assertThat(r.statusCode()).as(numbers[i] + ": " + r.body()).isEqualTo(200);
      JsonNode v = served("n", "k" + i);
      assertThat(v.isNumber()).as(numbers[i]).isTrue();
      assertThat(v.decimalValue()).as(numbers[i]).isEqualByComparingTo(new BigDecimal(numbers[i]));
      JsonNode onDisk =
          EXACT.readTree(Files.readAllBytes(dir.resolve("flags.json"))).path("config").path("n");
      assertThat(onDisk.path("k" + i).decimalValue()).isEqualByComparingTo(numbers[i]);
    }
  }

  @Test
  void bodiesThatCannotBeTakenExactly_are400WithThePath_andChangeNothing() throws Exception {
    start();
    String deep = "[".repeat(100) + "]".repeat(100);
    String nearlyDeep = "[".repeat(63) + "]".repeat(63);
    Object[][] cases = {
      {"{\"a\": 1, \"a\": 2}", "$.a", "Duplicate"},
      {"{\"x\": {\"b\": true, \"b\": false}}", "$.x.b", "Duplicate"},
      {"{\"a\": 1} {\"b\": 2}", "$", "Trailing"},
      {"{\"a\": 1} x", "$", ""},
      {deep, "$", "nesting depth"},
      {"{\"a\": " + nearlyDeep + "}", "", ""},
    };
    long version = server.version();
    for (Object[] c : cases) {
      HttpResponse<String> r = send(server, "PUT", "/v1/admin/config/n/k", ADMIN, (String) c[0]);
      String what = ((String) c[0]).substring(0, Math.min(40, ((String) c[0]).length()));
      assertThat(r.statusCode()).as(what + " → " + r.body()).isEqualTo(400);
      JsonNode body = EXACT.readTree(r.body());
      JsonNode problem = body.path("problems").path(0);
      assertThat(problem.path("path").asText()).as(what).startsWith((String) c[1]);
      assertThat(problem.path("reason").asText()).as(what).containsIgnoringCase((String) c[2]);
    }
    assertThat(server.version()).isEqualTo(version);
    assertThat(served("n", "k").isMissingNode()).isTrue();
  }

  @Test
  void handEditWithDuplicateKeys_isRefused_andTheServedVersionStays() throws Exception {
    start();
    Path f = dir.resolve("flags.json");
    Files.writeString(
        f,
        "{\"version\": 7, \"flags\": [], \"tests\": [], \"config\": {\"n\": {\"k\": 1, \"k\": 2}}}");
    server.checkFileNow();
    assertThat(server.version()).isEqualTo(1);
    Files.writeString(
        f,
        "{\"version\": 8, \"flags\": [], \"tests\": [], \"config\": {\"n\": {\"k\":"
            + " 0.1000000000000000000000000001}}}");
    server.checkFileNow();
    assertThat(server.version()).isEqualTo(8);
    assertThat(served("n", "k").decimalValue())
        .isEqualByComparingTo("0.1000000000000000000000000001");
  }
}
