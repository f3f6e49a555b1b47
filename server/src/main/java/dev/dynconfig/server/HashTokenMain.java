package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code hash-token --name alice --role editor [--token T]}: prints the {@code users.json} entry
 * for a principal. Without {@code --token} a random token is made and printed once to stderr; only
 * its salted digest goes into the entry.
 */
public final class HashTokenMain {
  static final String USAGE =
      "usage: hash-token --name NAME --role reader|editor|admin [--token TOKEN]\n"
          + "  prints {\"name\",\"role\",\"token\":\"sha256:...\"} for the \"users\" array of"
          + " users.json;\n  without --token a random token is generated and shown once on stderr";

  private HashTokenMain() {}

  public static void main(String[] args) {
    try {
      System.out.println(run(args, System.err));
    } catch (IllegalArgumentException e) {
      System.err.println("dynconfig hash-token: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  static String run(String[] args, java.io.PrintStream err) {
    String name = null;
    String role = null;
    String token = null;
    int i = args.length > 0 && args[0].equals("hash-token") ? 1 : 0;
    for (; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--name" -> name = v;
        case "--role" -> role = v;
        case "--token" -> token = v;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("--name is required");
    }
    if (Role.parse(role) == null) {
      throw new IllegalArgumentException("--role must be reader, editor or admin");
    }
    if (token == null) {
      token = TokenHash.randomToken();
      err.println("token for " + name + " (shown once, not stored): " + token);
    } else if (token.length() < 16) {
      throw new IllegalArgumentException("a token needs at least 16 characters");
    }
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("name", name);
    n.put("role", role);
    n.put("token", TokenHash.of(token).stored());
    return n.toString();
  }
}
