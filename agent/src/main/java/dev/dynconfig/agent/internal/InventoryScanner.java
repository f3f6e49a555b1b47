package dev.dynconfig.agent.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Finds the methods annotated with {@code @Toggle}, {@code @Variant} and {@code @ConfigValue} in
 * class files (directories, jars, and jars nested in jars such as Spring Boot's), reading the class
 * files' bytes only: no class is loaded, so scanning code that is not running yet has no effect.
 */
final class InventoryScanner {
  private static final String API = "Ldev/dynconfig/api/";
  private static final int MAX_NESTING = 3;

  /** One annotated method as its class file declares it. */
  record Annotated(
      String annotation, // Toggle, Variant or ConfigValue
      String className,
      String method,
      String descriptor,
      java.util.Map<String, Object> values,
      String origin) {

    String display() {
      return Site.display(className, method, descriptor);
    }
  }

  private final List<Annotated> found = new ArrayList<>();
  private int classFiles;

  List<Annotated> found() {
    return found;
  }

  int classFiles() {
    return classFiles;
  }

  /** Scans a directory tree, a jar, or a single class file. */
  void scan(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class") || name.endsWith(".jar")) {
          scanFile(f);
        }
      }
    } else if (Files.isRegularFile(path)) {
      scanFile(path);
    } else {
      throw new IOException(path + ": no such file or directory");
    }
  }

  private void scanFile(Path f) throws IOException {
    String name = f.getFileName().toString();
    if (name.endsWith(".class")) {
      classFile(Files.readAllBytes(f), f.toString());
    } else {
      try (InputStream in = Files.newInputStream(f)) {
        jar(in, f.toString(), 0);
      }
    }
  }

  private void jar(InputStream in, String origin, int depth) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
      String entry = e.getName();
      if (entry.endsWith(".class") && !entry.startsWith("META-INF/versions/")) {
        classFile(zip.readAllBytes(), origin + "!/" + entry);
      } else if (entry.endsWith(".jar") && depth < MAX_NESTING) {
        jar(new ByteArrayInputStream(zip.readAllBytes()), origin + "!/" + entry, depth + 1);
      }
    }
  }

  private void classFile(byte[] bytes, String origin) {
    classFiles++;
    if (!AnnotationPrefilter.mayCarryOurAnnotations(bytes)) {
      return;
    }
    ClassReader reader;
    try {
      reader = new ClassReader(bytes);
    } catch (RuntimeException notAClassFile) {
      return;
    }
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          String className;

          @Override
          public void visit(
              int version, int access, String name, String sig, String sup, String[] ifaces) {
            className = name.replace('/', '.');
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String sig, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public AnnotationVisitor visitAnnotation(String type, boolean visible) {
                if (!type.startsWith(API)) {
                  return null;
                }
                String simple = type.substring(API.length(), type.length() - 1);
                if (!simple.equals("Toggle")
                    && !simple.equals("Variant")
                    && !simple.equals("ConfigValue")) {
                  return null;
                }
                java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
                found.add(new Annotated(simple, className, name, descriptor, values, origin));
                return new AnnotationVisitor(Opcodes.ASM9) {
                  @Override
                  public void visit(String attribute, Object value) {
                    values.put(attribute, value);
                  }
                };
              }
            };
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }
}
