package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call the server: named principals with a hashed token and a {@link Role}, from {@code
 * users.json} and the two built-in ones of {@code --read-token} ({@code read-token}, reader) and
 * {@code --admin-token} ({@code admin-token}, admin). Tokens are never logged and never kept in
 * clear text.
 */
final class Principals {
  private final List<Entry> entries;

  private record Entry(Principal principal, TokenHash hash) {}

  private Principals(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * @param readToken built-in reader token, or null
   * @param adminToken built-in admin token, or null
   * @param usersJson the content of {@code users.json}, or null
   * @param origin where {@code usersJson} came from, for error messages
   */
  static Principals of(String readToken, String adminToken, String usersJson, String origin) {
    List<Entry> list = new ArrayList<>();
    if (readToken != null && !readToken.isEmpty()) {
      list.add(new Entry(new Principal("read-token", Role.READER), TokenHash.of(readToken)));
    }
    if (adminToken != null && !adminToken.isEmpty()) {
      if (adminToken.equals(readToken)) {
        throw new IllegalArgumentException("the read token and the admin token must differ");
      }
      list.add(new Entry(new Principal("admin-token", Role.ADMIN), TokenHash.of(adminToken)));
    }
    if (usersJson != null) {
      list.addAll(parseUsers(usersJson, origin));
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(
          "no principals: give --users users.json, or --read-token and --admin-token");
    }
    Set<String> names = new HashSet<>();
    for (Entry e : list) {
      if (!names.add(e.principal().name())) {
        throw new IllegalArgumentException(
            origin + ": the name '" + e.principal().name() + "' is used twice");
      }
    }
    return new Principals(list);
  }

  /** Reads {@code users.json} from a path, or takes the value itself when it starts with '{'. */
  static String readUsers(String pathOrJson) throws IOException {
    if (pathOrJson.strip().startsWith("{")) {
      return pathOrJson;
    }
    return Files.readString(Path.of(pathOrJson));
  }

  private static List<Entry> parseUsers(String json, String origin) {
    JsonNode root;
    try {
      root = FlagStore.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getMessage());
    }
    JsonNode users = root == null ? null : root.get("users");
    if (users == null || !users.isArray()) {
      throw new IllegalArgumentException(
          origin
              + ": expected {\"users\": [{\"name\", \"role\", \"token\"}, ...]} (print an entry"
              + " with 'hash-token')");
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      JsonNode u = users.get(i);
      String at = origin + " $.users[" + i + "]";
      String name = u.path("name").asText("");
      if (name.isBlank() || name.length() > 100) {
        throw new IllegalArgumentException(at + ".name: a name of 1 to 100 characters is needed");
      }
      Role role = Role.parse(u.path("role").asText(""));
      if (role == null) {
        throw new IllegalArgumentException(
            at + ".role: '" + u.path("role").asText("") + "' is not reader, editor or admin");
      }
      TokenHash hash;
      try {
        hash = TokenHash.parse(u.path("token").asText(null));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".token: " + e.getMessage());
      }
      out.add(new Entry(new Principal(name, role), hash));
    }
    return out;
  }

  /**
   * The principal a bearer token belongs to, or null. Every entry is checked (no early exit), so
   * the time taken does not tell which entry came close.
   */
  Principal authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    Principal found = null;
    for (Entry e : entries) {
      if (e.hash().matches(token) && found == null) {
        found = e.principal();
      }
    }
    return found;
  }

  /** The principal of an {@code Authorization: Bearer} header value, or null. */
  Principal fromAuthorization(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authenticate(authorization.substring(7).trim());
  }

  @Override
  public String toString() {
    return "Principals{" + entries.size() + "}";
  }
}
