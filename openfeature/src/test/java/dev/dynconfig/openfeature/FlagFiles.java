package dev.dynconfig.openfeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Flag files for the provider's tests, written the way editors and deploy tools do. */
final class FlagFiles {
  private FlagFiles() {}

  /**
   * Writes {@code content} to {@code file} atomically: a temporary file beside it, renamed over it,
   * so the watcher never reads a half-written file.
   */
  static Path writeAtomically(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      return Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  /**
   * A flagd document with one flag of every OpenFeature type, targeting on nested attributes, on
   * the targeting key and on an instant, a disabled flag, a flag whose targeting does not compile,
   * and flag-set and flag metadata.
   */
  static final String FLAGD =
      """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "metadata": {"flagSetId": "shop", "version": 3, "owner": "platform"},
        "flags": {
          "new-checkout": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "on"
          },
          "theme": {
            "state": "ENABLED",
            "variants": {"gold": "gold", "basic": "basic"},
            "defaultVariant": "basic",
            "metadata": {"owner": "web", "ratio": 0.25, "beta": true, "big": 5000000000},
            "targeting": {"if": [{"==": [{"var": "account.plan"}, "premium"]}, "gold", null]}
          },
          "max-items": {
            "state": "ENABLED",
            "variants": {"few": 3, "many": 250},
            "defaultVariant": "few",
            "targeting": {"if": [{"in": ["beta", {"var": "groups"}]}, "many", null]}
          },
          "discount": {
            "state": "ENABLED",
            "variants": {"none": 0, "half": 0.5},
            "defaultVariant": "half"
          },
          "layout": {
            "state": "ENABLED",
            "variants": {
              "compact": {"columns": 2, "labels": ["a", "b"], "dense": true, "nested": {"ratio": 1.5}},
              "wide": {"columns": 4}
            },
            "defaultVariant": "compact"
          },
          "vip": {
            "state": "ENABLED",
            "variants": {"yes": true, "no": false},
            "defaultVariant": "no",
            "targeting": {"if": [{"==": [{"var": "targetingKey"}, "user-vip"]}, "yes", null]}
          },
          "early-adopter": {
            "state": "ENABLED",
            "variants": {"yes": true, "no": false},
            "defaultVariant": "no",
            "targeting": {"if": [{"<": [{"var": "signedUpAt"}, "2025-01-01T00:00:00Z"]}, "yes", null]}
          },
          "broken": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"no-such-operator": [{"var": "plan"}]}
          },
          "retired": {
            "state": "DISABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "on"
          }
        }
      }
      """;
}
