package dev.dynconfig.agent.internal;

import dev.dynconfig.agent.internal.ClassShape.MethodShape;
import dev.dynconfig.agent.internal.MethodPlan.Call;
import dev.dynconfig.agent.internal.MethodPlan.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, at transform time and from the class file alone (no class loading), which annotated
 * methods of a type are rewritten and how; registers a {@link Site} for each accepted method (and
 * records it in {@link GuardedMethods} for the flag's or test's JMX MBean) and logs every refused
 * one once, with class, method and reason. A refused method keeps its original code.
 */
final class SitePlanner {
  static final String TOGGLE = "dev.dynconfig.api.Toggle";
  static final String VARIANT = "dev.dynconfig.api.Variant";
  static final String CONFIG_VALUE = "dev.dynconfig.api.ConfigValue";

  private static final Logger log = LoggerFactory.getLogger(SitePlanner.class);

  /** Refusals already logged (class#method: reason), so each is logged once per JVM. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private final SiteRegistry registry;

  SitePlanner(SiteRegistry registry) {
    this.registry = registry;
  }

  /** The plans of {@code type}'s accepted methods, keyed by {@code name + descriptor}. */
  Map<String, MethodPlan> plan(ClassShape type, ClassLoader loader) {
    return plan(type, loader, new ClassShapes(loader));
  }

  /** As {@link #plan(ClassShape, ClassLoader)}, reading super types through {@code supers}. */
  Map<String, MethodPlan> plan(ClassShape type, ClassLoader loader, ClassShapes supers) {
    Map<String, MethodPlan> plans = new HashMap<>();
    List<MethodShape> variantEntries = new ArrayList<>();
    List<MethodShape> variantSiblings = new ArrayList<>();
    for (MethodShape m : type.methods()) {
      Map<String, Object> toggle = find(m, TOGGLE);
      Map<String, Object> variant = find(m, VARIANT);
      Map<String, Object> config = find(m, CONFIG_VALUE);
      int count = (toggle != null ? 1 : 0) + (variant != null ? 1 : 0) + (config != null ? 1 : 0);
      if (count == 0) {
        continue;
      }
      String annotation =
          toggle != null ? "@Toggle" : variant != null ? "@Variant" : "@ConfigValue";
      if (count > 1) {
        refuse(
            type, m, annotation, "a method may carry only one of @Toggle, @Variant, @ConfigValue");
        continue;
      }
      String unsupported = unsupported(m);
      if (unsupported != null) {
        refuse(type, m, annotation, unsupported + " methods are never rewritten");
        continue;
      }
      if (toggle != null) {
        planToggle(type, m, toggle, loader, supers, plans);
      } else if (config != null) {
        planConfig(type, m, config, loader, plans);
      } else if (string(variant, "id").isEmpty()) {
        variantEntries.add(m);
      } else {
        variantSiblings.add(m);
      }
    }
    if (!variantEntries.isEmpty() || !variantSiblings.isEmpty()) {
      planVariants(type, variantEntries, variantSiblings, loader, plans);
    }
    return plans;
  }

  private void planToggle(
      ClassShape type,
      MethodShape m,
      Map<String, Object> toggle,
      ClassLoader loader,
      ClassShapes supers,
      Map<String, MethodPlan> plans) {
    String flag = string(toggle, "flag");
    String otherwise = string(toggle, "otherwise");
    boolean defaultValue = bool(toggle, "defaultValue");
    if (flag.isBlank()) {
      refuse(type, m, "@Toggle", "the flag key is empty");
      return;
    }
    boolean isVoid = m.returnDescriptor().equals("V");
    Call call = null;
    if (otherwise.isEmpty()) {
      if (!isVoid) {
        refuse(
            type,
            m,
            "@Toggle",
            "a non-void method needs otherwise = \"<method>\" (what runs while flag '"
                + flag
                + "' is off)");
        return;
      }
    } else {
      MethodShape target = otherwiseMethod(type, otherwise, m, supers);
      if (target == null) {
        refuse(
            type,
            m,
            "@Toggle",
            "otherwise method "
                + otherwise
                + "("
                + parameterNames(m)
                + ") not found in "
                + type.javaName()
                + " or, as a public or protected method, in its superclasses (it must take the"
                + " same parameter types)");
        return;
      }
      if (target.isStatic() != m.isStatic()) {
        refuse(
            type,
            m,
            "@Toggle",
            "otherwise method "
                + otherwise
                + " must be "
                + (m.isStatic() ? "static" : "an instance method")
                + " like the annotated method");
        return;
      }
      if (!isVoid && !supers.assignable(target.returnDescriptor(), m.returnDescriptor())) {
        refuse(
            type,
            m,
            "@Toggle",
            "otherwise method "
                + otherwise
                + " returns "
                + Type.getType(target.returnDescriptor()).getClassName()
                + ", which is not assignable to "
                + Type.getType(m.returnDescriptor()).getClassName());
        return;
      }
      call = callOf(type, target);
    }
    String descriptor = m.descriptor();
    Site site =
        registry.register(
            id ->
                new Site.ToggleSite(
                    id, type.javaName(), m.name(), descriptor, loader, flag, defaultValue));
    GuardedMethods.recordFlag(flag, site.display);
    plans.put(m.name() + descriptor, plan(Kind.TOGGLE, site, m, call, List.of()));
  }

  private void planConfig(
      ClassShape type,
      MethodShape m,
      Map<String, Object> config,
      ClassLoader loader,
      Map<String, MethodPlan> plans) {
    String namespace = string(config, "namespace");
    String key = string(config, "key");
    if (namespace.isBlank() || key.isBlank()) {
      refuse(type, m, "@ConfigValue", "namespace and key must not be empty");
      return;
    }
    if (m.returnDescriptor().equals("V")) {
      refuse(type, m, "@ConfigValue", "a void method has no value to replace");
      return;
    }
    String descriptor = m.descriptor();
    Site site =
        registry.register(
            id ->
                new Site.ConfigSite(
                    id, type.javaName(), m.name(), descriptor, loader, namespace, key));
    plans.put(m.name() + descriptor, plan(Kind.CONFIG, site, m, null, List.of()));
  }

  private void planVariants(
      ClassShape type,
      List<MethodShape> entries,
      List<MethodShape> siblings,
      ClassLoader loader,
      Map<String, MethodPlan> plans) {
    Map<MethodShape, Map<String, MethodShape>> byEntry = new LinkedHashMap<>();
    for (MethodShape e : entries) {
      byEntry.put(e, new LinkedHashMap<>());
    }
    for (MethodShape s : siblings) {
      Map<String, Object> a = find(s, VARIANT);
      String test = string(a, "test");
      String id = string(a, "id");
      boolean matched = false;
      boolean sameTest = false;
      for (MethodShape e : entries) {
        if (!string(find(e, VARIANT), "test").equals(test)) {
          continue;
        }
        sameTest = true;
        if (sameParameters(s, e)
            && s.returnDescriptor().equals(e.returnDescriptor())
            && s.isStatic() == e.isStatic()) {
          matched = true;
          Map<String, MethodShape> ids = byEntry.get(e);
          if (ids.containsKey(id)) {
            refuse(
                type,
                s,
                "@Variant",
                "variant id '"
                    + id
                    + "' of test '"
                    + test
                    + "' is already implemented by "
                    + ids.get(id).name());
          } else {
            ids.put(id, s);
          }
        }
      }
      if (!matched) {
        refuse(
            type,
            s,
            "@Variant",
            sameTest
                ? "its signature differs from the entry method of test '"
                    + test
                    + "' (same parameter types, return type and static-ness are required)"
                : "no entry method (@Variant(test = \""
                    + test
                    + "\") without id) in "
                    + type.javaName());
      }
    }
    for (Map.Entry<MethodShape, Map<String, MethodShape>> e : byEntry.entrySet()) {
      MethodShape m = e.getKey();
      String test = string(find(m, VARIANT), "test");
      if (test.isBlank()) {
        refuse(type, m, "@Variant", "the test id is empty");
        continue;
      }
      if (e.getValue().isEmpty()) {
        refuse(
            type, m, "@Variant", "no sibling methods implement a variant of test '" + test + "'");
        continue;
      }
      List<String> ids = new ArrayList<>(e.getValue().keySet());
      List<Call> calls = new ArrayList<>();
      for (MethodShape s : e.getValue().values()) {
        calls.add(callOf(type, s));
      }
      String descriptor = m.descriptor();
      Site site =
          registry.register(
              id ->
                  new Site.VariantSite(
                      id, type.javaName(), m.name(), descriptor, loader, test, ids));
      GuardedMethods.recordTest(test, site.display);
      plans.put(m.name() + descriptor, plan(Kind.VARIANT, site, m, null, List.copyOf(calls)));
    }
  }

  /**
   * The {@code otherwise} method of {@code m}: declared by {@code type}, or inherited from a
   * superclass (an application's base class, or the original class of a subclass generated by Byte
   * Buddy or CGLIB that copies the annotation). An inherited one must be public or protected: a
   * package-private one is accessible only from the same runtime package, which a subclass of
   * another class loader is not in, and the call would fail inside the application's method. Super
   * types are read from class files; one that cannot be read ends the search.
   */
  private static MethodShape otherwiseMethod(
      ClassShape type, String name, MethodShape m, ClassShapes supers) {
    for (MethodShape c : type.methods()) {
      if (c.name().equals(name) && sameParameters(c, m) && c != m) {
        return c;
      }
    }
    int depth = 0;
    for (String s = type.superName(); s != null && depth < 64; depth++) {
      ClassShape superType = supers.type(s);
      if (superType == null) {
        return null; // its class file is not visible from the loader: not found
      }
      for (MethodShape c : superType.methods()) {
        if (c.name().equals(name) && c.isPublicOrProtected() && sameParameters(c, m)) {
          return c;
        }
      }
      s = superType.superName();
    }
    return null;
  }

  /** Direct invocation of a method of the instrumented type from inside the same type. */
  private static Call callOf(ClassShape type, MethodShape target) {
    boolean itf = type.isInterface();
    int opcode;
    if (target.isStatic()) {
      opcode = Opcodes.INVOKESTATIC;
    } else if (target.isPrivate()) {
      // invokespecial is valid for private methods of the same class in every class-file version
      // (invokevirtual for privates needs nestmates, Java 11+).
      opcode = Opcodes.INVOKESPECIAL;
    } else if (itf) {
      opcode = Opcodes.INVOKEINTERFACE;
    } else {
      opcode = Opcodes.INVOKEVIRTUAL;
    }
    return new Call(opcode, type.name(), target.name(), target.descriptor(), itf);
  }

  private static String unsupported(MethodShape m) {
    int access = m.access();
    if (m.isConstructor()) {
      return "constructors";
    }
    if (m.name().equals("<clinit>")) {
      return "type initializers";
    }
    if ((access & Opcodes.ACC_ABSTRACT) != 0) {
      return "abstract";
    }
    if ((access & Opcodes.ACC_NATIVE) != 0) {
      return "native";
    }
    if ((access & Opcodes.ACC_BRIDGE) != 0) {
      return "bridge";
    }
    if ((access & Opcodes.ACC_SYNTHETIC) != 0) {
      return "synthetic";
    }
    return null;
  }

  private static boolean sameParameters(MethodShape a, MethodShape b) {
    return a.parameterDescriptor().equals(b.parameterDescriptor());
  }

  private static Map<String, Object> find(MethodShape m, String annotationName) {
    return m.annotations().get(annotationName);
  }

  /** A String property; absent means the annotation's default, "" for all of ours. */
  private static String string(Map<String, Object> a, String property) {
    return a.get(property) instanceof String s ? s : "";
  }

  /** A boolean property; absent means the annotation's default, false for all of ours. */
  private static boolean bool(Map<String, Object> a, String property) {
    return a.get(property) instanceof Boolean b && b;
  }

  /** Java simple names of the parameter types, e.g. {@code long, String[]}. */
  private static String parameterNames(MethodShape m) {
    List<String> names = new ArrayList<>();
    for (Type t : Type.getArgumentTypes(m.descriptor())) {
      String name = t.getClassName();
      names.add(name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1));
    }
    return String.join(", ", names);
  }

  private void refuse(ClassShape type, MethodShape m, String annotation, String reason) {
    String where = type.javaName() + "#" + m.name() + "(" + parameterNames(m) + ")";
    if (reported.add(where + ": " + reason)) {
      log.warn(
          "{} on {} refused: {}. The method keeps its original behaviour.",
          annotation,
          where,
          reason);
    }
  }

  /** The plan for rewriting {@code m} as {@code site}: its shape, read from its descriptor. */
  private MethodPlan plan(
      Kind kind, Site site, MethodShape m, Call otherwise, List<Call> siblings) {
    String descriptor = m.descriptor();
    return new MethodPlan(
        kind,
        site.id,
        m.isStatic(),
        Type.getArgumentTypes(descriptor),
        Type.getReturnType(descriptor),
        otherwise,
        siblings,
        registry.exposures);
  }
}
