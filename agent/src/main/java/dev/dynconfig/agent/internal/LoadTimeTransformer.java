package dev.dynconfig.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-file transformer registered by {@code premain}: rewrites the annotated methods of each
 * class as it is loaded.
 *
 * <p>Why not Byte Buddy's {@code AgentBuilder} (still used after a late attach, where already
 * loaded classes must be retransformed): installing it cost ~0.4 s of CPU before {@code main}
 * (BENCHMARKS.md section 4), mostly because its transformer generates, with Byte Buddy, a subclass
 * of itself for the Java 9 module API (~480 classes loaded). This class uses JRE types only: a
 * class file is checked by name and by {@link AnnotationPrefilter} (a byte scan), and only the few
 * candidates reach {@link ClassRewriter}, created, with Byte Buddy, on the first candidate.
 *
 * <p>Never throws: a class that cannot be rewritten is logged once and loads unchanged ({@code
 * null}); that also holds for {@link Error}s such as a {@code StackOverflowError} in the parser.
 */
final class LoadTimeTransformer implements ClassFileTransformer {
  private static final Logger log = LoggerFactory.getLogger(LoadTimeTransformer.class);

  /**
   * Never rewritten (internal names): the JDK, and our own and Byte Buddy's classes, which must not
   * be transformed while they transform. The same list as the late-attach path's ignore matcher.
   */
  private static final String[] IGNORED = {
    "java/", "javax/management/", "jdk/", "sun/", "com/sun/", "dev/dynconfig/", "net/bytebuddy/"
  };

  private final SiteRegistry sites;

  /** Classes already reported as not rewritable, so each is logged once per JVM. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private volatile ClassRewriter rewriter;

  LoadTimeTransformer(SiteRegistry sites) {
    this.sites = sites;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    return transform(loader, className, classBeingRedefined, protectionDomain, classFile);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    // The bootstrap loader (null) holds the JDK and our bridge: never rewritten. A class without a
    // name (defined by Unsafe) has no class file a loader could describe its super types from.
    if (loader == null
        || className == null
        || !AnnotationPrefilter.mayCarryOurAnnotations(classFile)
        || ignored(className)) {
      return null;
    }
    String name = className.replace('/', '.');
    try {
      byte[] rewritten = rewriter().rewrite(name, classFile, loader);
      if (rewritten != null) {
        log.debug("rewrote {} (loader {})", name, loader);
      }
      return rewritten;
    } catch (Throwable t) {
      try {
        if (reported.add(name)) {
          log.warn(
              "could not rewrite {}; its annotated methods keep their original behaviour", name, t);
        }
      } catch (Throwable ignored) {
        // Nothing may reach the class loader; the class loads unchanged either way.
      }
      return null;
    }
  }

  private static boolean ignored(String internalName) {
    for (String prefix : IGNORED) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private ClassRewriter rewriter() {
    ClassRewriter r = rewriter;
    if (r == null) {
      synchronized (this) {
        r = rewriter;
        if (r == null) {
          r = new ClassRewriter(new SitePlanner(sites));
          rewriter = r;
        }
      }
    }
    return r;
  }
}
