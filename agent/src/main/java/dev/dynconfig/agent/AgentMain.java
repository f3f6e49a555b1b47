package dev.dynconfig.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The {@code -javaagent} entry point ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>Deliberately tiny and JRE-only: it runs before the application's {@code main} and must neither
 * slow it down nor ever fail it. It
 *
 * <ol>
 *   <li>makes a second {@code -javaagent} of the same jar (or a second late attach) a no-op,
 *   <li>appends a small jar holding only {@code dev.dynconfig.bootstrap.*} (the bridge that
 *       rewritten code calls) and {@code dev.dynconfig.api.*} (so the application's {@code
 *       DynamicContext} and the engine's are the same class) to the bootstrap class path, and
 *   <li>hands over, reflectively, to {@code dev.dynconfig.agent.internal.AgentInstaller}, which
 *       starts the engine and installs the class-file transformer.
 * </ol>
 *
 * <p>Only those two packages go to the bootstrap path, never the whole agent jar: if the engine
 * classes were on the bootstrap path, every loader would resolve them there and the engine's own
 * class loading (service files, resources) would run in the bootstrap loader, which cannot see the
 * jar's resources the normal way. Any {@link Throwable} is caught and printed to stderr (no logging
 * framework exists yet at this point); the application then starts unmodified.
 */
public final class AgentMain {

  /** System property set once the agent is installed; also guards copies loaded elsewhere. */
  static final String INSTALLED_PROPERTY = "dynconfig.agent.installed";

  private static final String INSTALLER = "dev.dynconfig.agent.internal.AgentInstaller";

  /** Manifest attribute: the class entries of {@link #BOOTSTRAP_PACKAGES}, space-separated. */
  static final String BOOTSTRAP_CLASSES = "Dynconfig-Bootstrap-Classes";

  private static final String[] BOOTSTRAP_PACKAGES = {
    "dev/dynconfig/bootstrap/", "dev/dynconfig/api/"
  };

  private static boolean installed;

  private AgentMain() {}

  /** JVM start: {@code -javaagent:dynconfig.jar=key=value,...}. */
  public static void premain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst, false);
  }

  /** Late attach ({@code VirtualMachine.loadAgent}): rewrites already-loaded classes once. */
  public static void agentmain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst, true);
  }

  private static synchronized void start(String agentArgs, Instrumentation inst, boolean late) {
    try {
      if (installed || System.getProperty(INSTALLED_PROPERTY) != null) {
        System.err.println(
            "[dynconfig] the agent is already installed in this JVM; ignoring the additional "
                + (late ? "attach" : "-javaagent")
                + " (arguments: "
                + agentArgs
                + ")");
        return;
      }
      installed = true;
      System.setProperty(INSTALLED_PROPERTY, late ? "agentmain" : "premain");
      appendBootstrapJar(inst);
      Class<?> installer = Class.forName(INSTALLER, true, AgentMain.class.getClassLoader());
      Method install =
          installer.getMethod("install", String.class, Instrumentation.class, boolean.class);
      install.invoke(null, agentArgs, inst, late);
    } catch (Throwable t) {
      System.err.println(
          "[dynconfig] ERROR the agent could not start; the application runs without dynconfig: "
              + t);
      t.printStackTrace();
    }
  }

  /**
   * Copies the bootstrap packages from this agent's own jar into a temporary jar and appends it to
   * the bootstrap class path. We do not probe the bootstrap loader first: a failed lookup there may
   * be remembered by the JVM (see {@link Instrumentation#appendToBootstrapClassLoaderSearch}), and
   * appending a second copy is harmless because the first one on the path wins.
   *
   * <p>Start-up cost (BENCHMARKS.md section 4): this runs before {@code main}, so it avoids two JDK
   * paths that are slow on first use and that nothing else here needs: {@code Files.createTempFile}
   * seeds a {@code SecureRandom} (security providers, SHA-1; ~100 classes), and a zip entry given a
   * time by {@code ZipOutputStream} converts it with the default time zone (which reads the tz
   * database). Each entry keeps the source entry's stored DOS time instead.
   */
  private static void appendBootstrapJar(Instrumentation inst) throws IOException {
    File agentJar = agentJar();
    Path temp = createTempJar();
    temp.toFile().deleteOnExit();
    int copied = 0;
    try (JarFile source = new JarFile(agentJar);
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(temp))) {
      for (JarEntry entry : bootstrapEntries(source)) {
        // The copy keeps name, time and extra fields; sizes and CRC are those of what we write.
        JarEntry copy = new JarEntry(entry);
        copy.setCompressedSize(-1);
        out.putNextEntry(copy);
        try (InputStream in = source.getInputStream(entry)) {
          copy(in, out);
        }
        out.closeEntry();
        copied++;
      }
    }
    if (copied == 0) {
      throw new IllegalStateException(
          "no dev/dynconfig/bootstrap classes found in " + agentJar + "; is this the shaded jar?");
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(temp.toFile()));
  }

  /**
   * A new, empty file {@code dynconfig-bootstrap-<hex>.jar} in {@code java.io.tmpdir}, readable and
   * writable by its owner only where the file system has POSIX permissions. Created exclusively
   * ({@code CREATE_NEW}), so an existing file or link of that name is never used: the name need not
   * be unpredictable, only new (another JVM starting at the same nanosecond just costs a retry).
   */
  private static Path createTempJar() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    long n = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      Path file = dir.resolve("dynconfig-bootstrap-" + Long.toHexString(n + attempt) + ".jar");
      try {
        return posix
            ? Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))
            : Files.createFile(file);
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 100) {
          throw taken;
        }
      }
    }
  }

  /**
   * The class entries of the bootstrap packages: looked up by the names the manifest lists ({@code
   * Dynconfig-Bootstrap-Classes}, written by the build), because iterating all ~7,800 entries of
   * the jar took tens of milliseconds before {@code main}; without that attribute (a jar not built
   * by our pom), found by iterating.
   */
  private static List<JarEntry> bootstrapEntries(JarFile source) throws IOException {
    List<JarEntry> found = new ArrayList<>();
    Manifest manifest = source.getManifest();
    String listed =
        manifest == null ? null : manifest.getMainAttributes().getValue(BOOTSTRAP_CLASSES);
    if (listed != null && !listed.isBlank()) {
      for (String name : listed.split(" ")) {
        if (name.isEmpty()) {
          continue;
        }
        JarEntry entry = source.getJarEntry(name);
        if (entry == null || !isBootstrapEntry(name)) {
          throw new IllegalStateException(
              "the manifest of "
                  + source.getName()
                  + " lists "
                  + name
                  + ", which it does not hold");
        }
        found.add(entry);
      }
      return found;
    }
    Enumeration<JarEntry> entries = source.entries();
    while (entries.hasMoreElements()) {
      JarEntry entry = entries.nextElement();
      if (!entry.isDirectory() && isBootstrapEntry(entry.getName())) {
        found.add(entry);
      }
    }
    return found;
  }

  private static boolean isBootstrapEntry(String name) {
    for (String prefix : BOOTSTRAP_PACKAGES) {
      if (name.startsWith(prefix) && name.endsWith(".class")) {
        return true;
      }
    }
    return false;
  }

  private static File agentJar() {
    CodeSource codeSource = AgentMain.class.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new IllegalStateException("cannot locate the agent jar (no code source)");
    }
    try {
      File file = new File(codeSource.getLocation().toURI());
      if (!file.isFile()) {
        throw new IllegalStateException("the agent is not running from a jar: " + file);
      }
      return file;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(
          "cannot locate the agent jar: " + codeSource.getLocation(), e);
    }
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
    }
  }
}
