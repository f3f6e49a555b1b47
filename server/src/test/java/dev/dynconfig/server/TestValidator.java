package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.document.DocumentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small stand-in for the engine's parser (which lands on another branch): JSON object, unique
 * flag keys, rolloutPercentage within 0..100. Enough to exercise the server's accept/reject paths.
 */
final class TestValidator implements DocumentValidator {
  private static final ObjectMapper M = new ObjectMapper();

  @Override
  public void validate(byte[] content, String origin) throws DocumentException {
    JsonNode root;
    try {
      root = M.readTree(content);
    } catch (IOException e) {
      throw new DocumentException(
          origin, List.of(new DocumentException.Problem("$", null, "not JSON")));
    }
    List<DocumentException.Problem> problems = new ArrayList<>();
    if (!root.isObject()) {
      problems.add(new DocumentException.Problem("$", null, "must be an object"));
    }
    JsonNode flags = root.path("flags");
    if (flags.isArray()) {
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < flags.size(); i++) {
        JsonNode f = flags.get(i);
        if (!keys.add(f.path("key").asText())) {
          problems.add(
              new DocumentException.Problem(
                  "flags[" + i + "].key", f.path("key").toString(), "is a duplicate"));
        }
        JsonNode r = f.get("rolloutPercentage");
        if (r != null && (!r.isNumber() || r.asDouble() < 0 || r.asDouble() > 100)) {
          problems.add(
              new DocumentException.Problem(
                  "flags[" + i + "].rolloutPercentage", r.toString(), "is outside 0..100"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new DocumentException(origin, problems);
    }
  }
}
