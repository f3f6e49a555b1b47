package com.acme.itapp;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.api.Toggle;
import java.nio.file.Path;

/**
 * An application that ships dynconfig-runtime to use the library itself (on {@code lib.json}) and
 * also has methods the agent rewrites (on the agent's file). Prints which engine class it uses and
 * what each side sees: {@code library lib-flag=true agent-flag=false} and {@code agent
 * agent-flag=on lib-flag=off}.
 */
public final class LibraryApp {
  private LibraryApp() {}

  @Toggle(flag = "agent-flag", otherwise = "off")
  static String agentFlag() {
    return "on";
  }

  @Toggle(flag = "lib-flag", otherwise = "off")
  static String libFlag() {
    return "on";
  }

  static String off() {
    return "off";
  }

  public static void main(String[] args) throws Exception {
    System.out.println(
        "engine "
            + DynamicConfig.class.getName()
            + " version "
            + DynamicConfig.class.getPackage().getImplementationVersion()
            + " from "
            + Path.of(
                    DynamicConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getFileName());
    // The process-wide instance: the application's own, never the agent's.
    DynamicConfig library =
        DynamicConfig.get(DynamicConfigOptions.builder().file(Path.of("lib.json")).build());
    library.initialize();
    System.out.println(
        "library lib-flag="
            + library.isFlagEnabled("lib-flag")
            + " agent-flag="
            + library.isFlagEnabled("agent-flag"));
    System.out.println("agent agent-flag=" + agentFlag() + " lib-flag=" + libFlag());
    library.close();
  }
}
