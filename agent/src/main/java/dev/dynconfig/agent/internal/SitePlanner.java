package dev.dynconfig.agent.internal;

import dev.dynconfig.agent.internal.MethodPlan.Call;
import dev.dynconfig.agent.internal.MethodPlan.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
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
  Map<String, MethodPlan> plan(TypeDescription type, ClassLoader loader) {
    Map<String, MethodPlan> plans = new HashMap<>();
    List<MethodDescription.InDefinedShape> variantEntries = new ArrayList<>();
    List<MethodDescription.InDefinedShape> variantSiblings = new ArrayList<>();
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      AnnotationDescription toggle = find(m, TOGGLE);
      AnnotationDescription variant = find(m, VARIANT);
      AnnotationDescription config = find(m, CONFIG_VALUE);
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
        planToggle(type, m, toggle, loader, plans);
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
      TypeDescription type,
      MethodDescription.InDefinedShape m,
      AnnotationDescription toggle,
      ClassLoader loader,
      Map<String, MethodPlan> plans) {
    String flag = string(toggle, "flag");
    String otherwise = string(toggle, "otherwise");
    boolean defaultValue = bool(toggle, "defaultValue");
    if (flag.isBlank()) {
      refuse(type, m, "@Toggle", "the flag key is empty");
      return;
    }
    boolean isVoid = m.getReturnType().represents(void.class);
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
      MethodDescription.InDefinedShape target = otherwiseMethod(type, otherwise, m);
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
                + type.getName()
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
      if (!isVoid && !returnCompatible(target.getReturnType(), m.getReturnType())) {
        refuse(
            type,
            m,
            "@Toggle",
            "otherwise method "
                + otherwise
                + " returns "
                + target.getReturnType().asErasure().getName()
                + ", which is not assignable to "
                + m.getReturnType().asErasure().getName());
        return;
      }
      call = callOf(type, target);
    }
    String descriptor = m.getDescriptor();
    Site site =
        registry.register(
            id ->
                new Site.ToggleSite(
                    id, type.getName(), m.getName(), descriptor, loader, flag, defaultValue));
    GuardedMethods.recordFlag(flag, site.display);
    plans.put(m.getInternalName() + descriptor, plan(Kind.TOGGLE, site, m, call, List.of()));
  }

  private void planConfig(
      TypeDescription type,
      MethodDescription.InDefinedShape m,
      AnnotationDescription config,
      ClassLoader loader,
      Map<String, MethodPlan> plans) {
    String namespace = string(config, "namespace");
    String key = string(config, "key");
    if (namespace.isBlank() || key.isBlank()) {
      refuse(type, m, "@ConfigValue", "namespace and key must not be empty");
      return;
    }
    if (m.getReturnType().represents(void.class)) {
      refuse(type, m, "@ConfigValue", "a void method has no value to replace");
      return;
    }
    String descriptor = m.getDescriptor();
    Site site =
        registry.register(
            id ->
                new Site.ConfigSite(
                    id, type.getName(), m.getName(), descriptor, loader, namespace, key));
    plans.put(m.getInternalName() + descriptor, plan(Kind.CONFIG, site, m, null, List.of()));
  }

  private void planVariants(
      TypeDescription type,
      List<MethodDescription.InDefinedShape> entries,
      List<MethodDescription.InDefinedShape> siblings,
      ClassLoader loader,
      Map<String, MethodPlan> plans) {
    Map<MethodDescription.InDefinedShape, Map<String, MethodDescription.InDefinedShape>> byEntry =
        new LinkedHashMap<>();
    for (MethodDescription.InDefinedShape e : entries) {
      byEntry.put(e, new LinkedHashMap<>());
    }
    for (MethodDescription.InDefinedShape s : siblings) {
      AnnotationDescription a = find(s, VARIANT);
      String test = string(a, "test");
      String id = string(a, "id");
      boolean matched = false;
      boolean sameTest = false;
      for (MethodDescription.InDefinedShape e : entries) {
        if (!string(find(e, VARIANT), "test").equals(test)) {
          continue;
        }
        sameTest = true;
        if (sameParameters(s, e)
            && s.getReturnType().asErasure().equals(e.getReturnType().asErasure())
            && s.isStatic() == e.isStatic()) {
          matched = true;
          Map<String, MethodDescription.InDefinedShape> ids = byEntry.get(e);
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
                    + ids.get(id).getName());
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
                    + type.getName());
      }
    }
    for (Map.Entry<MethodDescription.InDefinedShape, Map<String, MethodDescription.InDefinedShape>>
        e : byEntry.entrySet()) {
      MethodDescription.InDefinedShape m = e.getKey();
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
      for (MethodDescription.InDefinedShape s : e.getValue().values()) {
        calls.add(callOf(type, s));
      }
      String descriptor = m.getDescriptor();
      Site site =
          registry.register(
              id ->
                  new Site.VariantSite(
                      id, type.getName(), m.getName(), descriptor, loader, test, ids));
      GuardedMethods.recordTest(test, site.display);
      plans.put(
          m.getInternalName() + descriptor, plan(Kind.VARIANT, site, m, null, List.copyOf(calls)));
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
  private static MethodDescription.InDefinedShape otherwiseMethod(
      TypeDescription type, String name, MethodDescription m) {
    for (MethodDescription.InDefinedShape c : type.getDeclaredMethods()) {
      if (c.getName().equals(name) && !c.isConstructor() && sameParameters(c, m) && !c.equals(m)) {
        return c;
      }
    }
    try {
      for (TypeDefinition s = type.getSuperClass(); s != null; s = s.getSuperClass()) {
        for (MethodDescription.InDefinedShape c : s.asErasure().getDeclaredMethods()) {
          if (c.getName().equals(name)
              && !c.isConstructor()
              && (c.isPublic() || c.isProtected())
              && sameParameters(c, m)) {
            return c;
          }
        }
      }
    } catch (RuntimeException unresolvable) {
      // A superclass's class file is not visible from the loader: not found.
    }
    return null;
  }

  /** Direct invocation of a method of the instrumented type from inside the same type. */
  private static Call callOf(TypeDescription type, MethodDescription.InDefinedShape target) {
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
    return new Call(
        opcode, type.getInternalName(), target.getInternalName(), target.getDescriptor(), itf);
  }

  private static String unsupported(MethodDescription m) {
    if (m.isConstructor()) {
      return "constructors";
    }
    if (m.isTypeInitializer()) {
      return "type initializers";
    }
    if (m.isAbstract()) {
      return "abstract";
    }
    if (m.isNative()) {
      return "native";
    }
    if (m.isBridge()) {
      return "bridge";
    }
    if (m.isSynthetic()) {
      return "synthetic";
    }
    return null;
  }

  private static boolean sameParameters(MethodDescription a, MethodDescription b) {
    TypeList pa = a.getParameters().asTypeList().asErasures();
    TypeList pb = b.getParameters().asTypeList().asErasures();
    return pa.equals(pb);
  }

  private static boolean returnCompatible(TypeDefinition produced, TypeDefinition wanted) {
    TypeDescription p = produced.asErasure();
    TypeDescription w = wanted.asErasure();
    if (p.equals(w)) {
      return true;
    }
    if (p.isPrimitive() || w.isPrimitive()) {
      return false;
    }
    try {
      return p.isAssignableTo(w);
    } catch (RuntimeException unresolvable) {
      // A super type could not be read from the class path: do not guess.
      return false;
    }
  }

  private static AnnotationDescription find(MethodDescription m, String annotationName) {
    for (AnnotationDescription a : m.getDeclaredAnnotations()) {
      if (a.getAnnotationType().getName().equals(annotationName)) {
        return a;
      }
    }
    return null;
  }

  private static String string(AnnotationDescription a, String property) {
    Object value = value(a, property);
    return value == null ? "" : (String) value;
  }

  private static boolean bool(AnnotationDescription a, String property) {
    Object value = value(a, property);
    return value != null && (Boolean) value;
  }

  /** The value of a property, or its default from the annotation type, read without loading. */
  private static Object value(AnnotationDescription a, String property) {
    for (MethodDescription.InDefinedShape p : a.getAnnotationType().getDeclaredMethods()) {
      if (p.getName().equals(property)) {
        return a.getValue(p).resolve();
      }
    }
    return null;
  }

  private static String parameterNames(MethodDescription m) {
    List<String> names = new ArrayList<>();
    for (TypeDescription t : m.getParameters().asTypeList().asErasures()) {
      names.add(t.getSimpleName());
    }
    return String.join(", ", names);
  }

  private void refuse(TypeDescription type, MethodDescription m, String annotation, String reason) {
    String where = type.getName() + "#" + m.getName() + "(" + parameterNames(m) + ")";
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
      Kind kind, Site site, MethodDescription m, Call otherwise, List<Call> siblings) {
    String descriptor = m.getDescriptor();
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
