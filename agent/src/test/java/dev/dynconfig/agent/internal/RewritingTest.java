package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.fixture.Greeter;
import com.acme.fixture.Pricing;
import com.acme.fixture.Refused;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.api.DynamicContext;
import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.bootstrap.Dispatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rewriting itself, in process: fixture classes are rewritten by the agent's planner and
 * prologue, loaded in a fresh class loader, and called while a fake engine answers through the real
 * bridge and dispatcher.
 */
class RewritingTest {
  private final SiteRegistry sites = new SiteRegistry();
  private final FakeEvaluator engine = new FakeEvaluator();
  private final SitePlanner planner = new SitePlanner(sites);
  private Dispatcher previous;
  private Object pricing;

  @BeforeEach
  void install() throws Exception {
    previous =
        Bridge.install(
            new EngineDispatcher(
                sites,
                engine,
                new ContextAssembler("userId", "sessionId", "userRole", List.of("plan"))));
    Rewriter loader = new Rewriter(planner, Pricing.class);
    pricing = loader.loadClass(Pricing.class.getName()).getConstructor().newInstance();
  }

  @AfterEach
  void uninstall() {
    Bridge.install(previous);
  }

  @Test
  void toggle_runsBodyWhileOn_andOtherwiseWhileOff_onEveryCall() throws Exception {
    engine.flags.put("new-pricing", true);
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(new BigDecimal(20));
    engine.flags.put("new-pricing", false);
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(BigDecimal.TEN);
    engine.flags.put("new-pricing", true);
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(new BigDecimal(20));
  }

  @Test
  void toggle_appliesToSelfInvocation() throws Exception {
    engine.flags.put("new-pricing", false);
    assertThat(call("priceTwice", BigDecimal.ONE)).isEqualTo(new BigDecimal(2));
  }

  @Test
  void toggle_passesWideArgumentsToPrivateOtherwise_ofFinalMethod() throws Exception {
    Method wide = pricing.getClass().getMethod("wide", long.class, double.class, int.class);
    assertThat(Modifier.isFinal(wide.getModifiers())).isTrue();
    engine.flags.put("wide", false);
    assertThat(wide.invoke(pricing, 1L, 2.9d, 3)).isEqualTo(6L);
    engine.flags.put("wide", true);
    assertThat(wide.invoke(pricing, 1L, 2.9d, 3)).isEqualTo(1006L);
  }

  @Test
  void toggle_onStaticMethod() throws Exception {
    Method m = pricing.getClass().getMethod("staticGreeting", String.class);
    engine.flags.put("static-flag", false);
    assertThat(m.invoke(null, "ann")).isEqualTo("bye ann");
    engine.flags.put("static-flag", true);
    assertThat(m.invoke(null, "ann")).isEqualTo("hello ann");
  }

  @SuppressWarnings("unchecked")
  @Test
  void voidToggle_withoutOtherwise_skipsBodyWhileOff_andUsesDefaultValueWhileUndefined()
      throws Exception {
    List<String> audit = (List<String>) pricing.getClass().getField("audit").get(pricing);
    call("audit", "a"); // undefined, default false
    call("defaultOn", "b"); // undefined, default true
    engine.flags.put("audit-log", true);
    call("audit", "c");
    assertThat(audit).containsExactly("default:b", "c");
  }

  @Test
  void toggle_onMethodWhoseBodyStartsWithLoop_verifies() throws Exception {
    engine.flags.put("loop", true);
    assertThat(call("loop", 4)).isEqualTo(10);
    engine.flags.put("loop", false);
    assertThat(call("loop", 4)).isEqualTo(-1);
  }

  @Test
  void toggle_acceptsOtherwiseWithNarrowerReturnType() throws Exception {
    engine.flags.put("covariant", false);
    assertThat(call("covariant")).isEqualTo(7);
  }

  @Test
  void toggle_onInterfaceDefaultMethod() throws Exception {
    Rewriter loader = new Rewriter(planner, Greeter.class);
    Class<?> greeter = loader.loadClass(Greeter.class.getName());
    Object impl =
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {greeter},
            (proxy, method, args) ->
                java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args));
    Method greet = greeter.getMethod("greet", String.class);
    engine.flags.put("formal", false);
    assertThat(greet.invoke(impl, "Ann")).isEqualTo("hi Ann");
    engine.flags.put("formal", true);
    assertThat(greet.invoke(impl, "Ann")).isEqualTo("Good day, Ann");
  }

  @Test
  void variant_dispatchesToAssignedSibling_andControlOrUnknownRunsEntryBody() throws Exception {
    engine.tests.put(
        "checkout-experiment",
        ctx ->
            switch (ctx.userId() == null ? "" : ctx.userId()) {
              case "a" -> "variant-a";
              case "b" -> "variant-b";
              case "c" -> "control";
              case "x" -> "variant-x";
              default -> null;
            });
    assertThat(asUser("a", () -> call("checkoutSteps", "u"))).isEqualTo(2);
    assertThat(asUser("b", () -> call("checkoutSteps", "u"))).isEqualTo(1);
    assertThat(asUser("c", () -> call("checkoutSteps", "u"))).isEqualTo(3);
    assertThat(asUser("x", () -> call("checkoutSteps", "u"))).isEqualTo(3);
    assertThat(call("checkoutSteps", "u")).isEqualTo(3);
  }

  @Test
  void variant_onStaticMethods() throws Exception {
    engine.tests.put("static-test", ctx -> "grid");
    assertThat(pricing.getClass().getMethod("layout").invoke(null)).isEqualTo("grid");
  }

  @Test
  void scope_attributesReachTheEngine_andCustomKeysBecomeAttributes() throws Exception {
    engine.flags.put("new-pricing", true);
    inScope(
        Map.of("userId", "u-1", "userRole", "admin", "plan", "premium"),
        () -> {
          call("price", BigDecimal.ONE);
          return null;
        });
    assertThat(engine.lastContext.userId()).isEqualTo("u-1");
    assertThat(engine.lastContext.userRole()).isEqualTo("admin");
    assertThat(engine.lastContext.customAttributes()).containsEntry("plan", "premium");
  }

  @Test
  void toggle_onContextFreeFlag_skipsTheContext_untilASwapGivesItTargeting() throws Exception {
    engine.flags.put("new-pricing", true);
    engine.contextFree.add("new-pricing");
    Map<String, String> user = Map.of("userId", "u-3");
    inScope(user, () -> call("price", BigDecimal.ONE));
    assertThat(engine.lastContext).isSameAs(EvaluationContext.empty());

    // Cached per snapshot: what the engine says between swaps is not asked again.
    engine.contextFree.remove("new-pricing");
    inScope(user, () -> call("price", BigDecimal.ONE));
    assertThat(engine.lastContext).isSameAs(EvaluationContext.empty());

    engine.swap();
    assertThat(inScope(user, () -> call("price", BigDecimal.ONE))).isEqualTo(new BigDecimal(2));
    assertThat(engine.lastContext.userId()).isEqualTo("u-3");
  }

  @Test
  void toggle_onPlainRollout_readsOnlyTheBucketingKey_userIdBeforeSessionId() throws Exception {
    engine.flags.put("new-pricing", true);
    engine.keyedOnly.add("new-pricing");
    inScope(Map.of("userId", "u-5", "userRole", "admin"), () -> call("price", BigDecimal.ONE));
    assertThat(engine.lastBucketingKey).isEqualTo("u-5");
    assertThat(engine.lastContext).as("no context was built").isNull();
    inScope(Map.of("sessionId", "s-9"), () -> call("price", BigDecimal.ONE));
    assertThat(engine.lastBucketingKey).isEqualTo("s-9");
    inScope(Map.of("targetingKey", "t-1", "sessionId", "s-9"), () -> call("price", BigDecimal.ONE));
    assertThat(engine.lastBucketingKey).isEqualTo("t-1");
  }

  @Test
  void variant_isAssignedByBucketingKeyAndTheScopesEnvironment() throws Exception {
    engine.tests.put(
        "checkout-experiment",
        ctx ->
            "staging".equals(ctx.environment()) && "u-7".equals(ctx.userId()) ? "variant-a" : null);
    assertThat(inScope(Map.of("userId", "u-7"), () -> call("checkoutSteps", "u"))).isEqualTo(3);
    assertThat(
            inScope(
                Map.of("userId", "u-7", "environment", "staging"),
                () -> call("checkoutSteps", "u")))
        .isEqualTo(2);
  }

  @Test
  void toggle_onConstantFlag_isAnsweredByTheBridgeAlone_andCounted_untilTheNextSwap()
      throws Exception {
    engine.flags.put("new-pricing", false);
    engine.contextFree.add("new-pricing");
    engine.constant.add("new-pricing");
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(BigDecimal.TEN); // learnt here
    int asked = engine.flagCalls.get();
    for (int i = 0; i < 3; i++) {
      assertThat(call("price", BigDecimal.TEN)).isEqualTo(BigDecimal.TEN);
    }
    assertThat(engine.flagCalls).as("the dispatcher was not asked again").hasValue(asked);
    assertThat(engine.constantUses).as("every use counted").hasValue(3);

    engine.flags.put("new-pricing", true); // a new snapshot, announced by the swap below
    engine.swap();
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(new BigDecimal(20));
    assertThat(call("price", BigDecimal.TEN)).isEqualTo(new BigDecimal(20));

    engine.constant.remove("new-pricing"); // e.g. the flag gained a rollout
    engine.swap();
    call("price", BigDecimal.TEN);
    call("price", BigDecimal.TEN);
    assertThat(engine.flagCalls).as("asked on every call again").hasValue(asked + 3);
  }

  @Test
  void toggleConstant_learntFromAReplacedSnapshot_isDropped() {
    Site.ToggleSite site = (Site.ToggleSite) sites.all().get(0);
    engine.flags.put(site.flag, true);
    engine.constant.add(site.flag);
    Object before = new Object();
    Object after = new Object();
    ToggleConstants constants = new ToggleConstants(engine, before);
    constants.reset(after); // a swap while a call was computing its answer from `before`
    constants.learn(site, before);
    assertThat(Bridge.toggleConstant(site.id)).isNull();
    constants.learn(site, after);
    assertThat(Bridge.toggleConstant(site.id).enabled()).isTrue();
  }

  @Test
  void variant_onTestMissingFromTheSnapshot_runsEntryBody_withoutAskingTheEngine()
      throws Exception {
    engine.tests.put("checkout-experiment", ctx -> "variant-a");
    engine.unknownTests.add("checkout-experiment");
    assertThat(asUser("a", () -> call("checkoutSteps", "u"))).isEqualTo(3);
    assertThat(engine.variantCalls).hasValue(0);

    engine.unknownTests.clear();
    engine.swap();
    assertThat(asUser("a", () -> call("checkoutSteps", "u"))).isEqualTo(2);
  }

  @Test
  void toggleDispatch_allocatesNothingPerCall_forContextFreeRolloutAndContextualFlags() {
    int site = toggleSite("new-pricing");
    engine.flags.put("new-pricing", true);
    engine.contextFree.add("static-flag");
    engine.constant.add("static-flag");
    engine.keyedOnly.add("rollout-flag");
    int rolloutSite = toggleSite("rollout-flag");
    int staticSite = toggleSite("static-flag");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    inScope(
        Map.of("userId", "u-4"),
        () -> {
          boolean all = true;
          for (int i = 0; i < 20_000; i++) { // warm-up: first calls build and cache
            all &= Bridge.toggle(site) & !Bridge.toggle(staticSite) & !Bridge.toggle(rolloutSite);
          }
          long before = threads.getThreadAllocatedBytes(tid);
          for (int i = 0; i < 100_000; i++) {
            all &= Bridge.toggle(site) & !Bridge.toggle(staticSite) & !Bridge.toggle(rolloutSite);
          }
          long allocated = threads.getThreadAllocatedBytes(tid) - before;
          assertThat(all).isTrue();
          // 300,000 dispatches; a single allocation per call would be >= 4.8 MB.
          assertThat(allocated).as("bytes allocated by 300,000 dispatches").isLessThan(4096);
          return null;
        });
  }

  @Test
  void rewrittenMethods_areRecordedAsGuardedMethods_ofTheirFlagAndTest() {
    assertThat(GuardedMethods.forFlag("new-pricing"))
        .contains("com.acme.fixture.Pricing#price(BigDecimal)");
    assertThat(GuardedMethods.forFlag("wide"))
        .contains("com.acme.fixture.Pricing#wide(long, double, int)");
    assertThat(GuardedMethods.forTest("checkout-experiment"))
        .contains("com.acme.fixture.Pricing#checkoutSteps(String)");
  }

  @Test
  void context_isReused_whileScopeIsUnchanged() throws Exception {
    engine.flags.put("new-pricing", true);
    Map<String, String> attributes = Map.of("userId", "u-2");
    inScope(
        attributes,
        () -> {
          call("price", BigDecimal.ONE);
          Object first = engine.lastContext;
          call("price", BigDecimal.ONE);
          assertThat(engine.lastContext).isSameAs(first);
          return null;
        });
  }

  @Test
  void configValue_convertsToReturnType_andBodyIsTheDefault() throws Exception {
    assertThat(call("timeoutMs")).isEqualTo(1000L);
    engine.config.put("checkout.timeoutMs", 1500);
    assertThat(call("timeoutMs")).isEqualTo(1500L);
    engine.config.put("checkout.retries", 5);
    assertThat(pricing.getClass().getMethod("retries").invoke(null)).isEqualTo(5);
    engine.config.put("ui.theme", "dark");
    assertThat(call("theme")).isEqualTo("dark");
    engine.config.put("ui.mode", "EXPERT");
    assertThat(call("mode").toString()).isEqualTo("EXPERT");
    engine.config.put("checkout.limits", List.of(1, 2, 3));
    assertThat(call("limits")).isEqualTo(List.of(1L, 2L, 3L));
    engine.config.put("checkout.banner", Map.of("text", "Sale", "priority", 2));
    assertThat(call("banner").toString()).isEqualTo("Banner[text=Sale, priority=2]");
    engine.config.put("checkout.raw", Map.of("a", 1));
    assertThat(call("raw")).isEqualTo(Map.of("a", 1));
    engine.config.put("checkout.enabled", true);
    assertThat(call("enabled")).isEqualTo(true);
  }

  @Test
  void configValue_notConvertible_runsBody() throws Exception {
    engine.config.put("checkout.timeoutMs", "soon");
    assertThat(call("timeoutMs")).isEqualTo(1000L);
  }

  @Test
  void configValue_isConvertedOnce_perValue() throws Exception {
    Object raw = List.of(4, 5);
    engine.config.put("checkout.limits", raw);
    Object first = call("limits");
    assertThat(call("limits")).isSameAs(first);
    engine.config.put("checkout.limits", List.of(6));
    assertThat(call("limits")).isEqualTo(List.of(6L));
  }

  @Test
  void engineFailure_neverReachesTheApp_originalBodyRuns() throws Exception {
    engine.failure = new IllegalStateException("boom");
    engine.flags.put("new-pricing", false);
    engine.config.put("checkout.timeoutMs", 5);
    assertThat(call("price", BigDecimal.ONE)).isEqualTo(new BigDecimal(2));
    assertThat(call("checkoutSteps", "u")).isEqualTo(3);
    assertThat(call("timeoutMs")).isEqualTo(1000L);
    engine.failure = null;
    assertThat(call("price", BigDecimal.ONE)).isEqualTo(BigDecimal.ONE);
  }

  @Test
  void noDispatcher_originalBodyRuns() throws Exception {
    Bridge.install(null);
    engine.flags.put("new-pricing", false);
    assertThat(call("price", BigDecimal.ONE)).isEqualTo(new BigDecimal(2));
    assertThat(call("timeoutMs")).isEqualTo(1000L);
  }

  @Test
  void toggle_otherwiseInheritedFromSuperclass_isAccepted_asInAGeneratedSubclass()
      throws Exception {
    Rewriter loader = new Rewriter(planner, com.acme.fixture.GeneratedPricing.class);
    Object generated =
        loader
            .loadClass(com.acme.fixture.GeneratedPricing.class.getName())
            .getConstructor()
            .newInstance();
    Method price = generated.getClass().getMethod("price", BigDecimal.class);
    engine.flags.put("new-pricing", false);
    assertThat(price.invoke(generated, BigDecimal.ONE)).isEqualTo(new BigDecimal(-1));
    engine.flags.put("new-pricing", true);
    assertThat(price.invoke(generated, BigDecimal.ONE)).isEqualTo(new BigDecimal(2));
    // Package-private in the superclass: not callable from a subclass of another loader.
    assertThat(loader.plans(com.acme.fixture.GeneratedPricing.class))
        .containsKey("price(Ljava/math/BigDecimal;)Ljava/math/BigDecimal;")
        .doesNotContainKey("refusedFallback(Ljava/math/BigDecimal;)Ljava/math/BigDecimal;");
  }

  @Test
  void refusedAnnotations_leaveMethodsUnchanged() throws Exception {
    Rewriter loader = new Rewriter(planner, Refused.class);
    assertThat(loader.plans(Refused.class)).isEmpty();
    engine.flags.put("f", false);
    engine.config.put("n.k", 99);
    Class<?> refused = loader.loadClass(Refused.class.getName());
    Object impl =
        new net.bytebuddy.ByteBuddy()
            .subclass(refused)
            .method(net.bytebuddy.matcher.ElementMatchers.named("abstractMethod"))
            .intercept(net.bytebuddy.implementation.StubMethod.INSTANCE)
            .make()
            .load(loader)
            .getLoaded()
            .getConstructor()
            .newInstance();
    assertThat(invoke(impl, "nonVoidWithoutOtherwise")).isEqualTo(1);
    assertThat(invoke(impl, "missingOtherwise")).isEqualTo(2);
    assertThat(invoke(impl, "staticMismatch")).isEqualTo(3);
    assertThat(invoke(impl, "incompatibleReturn")).isEqualTo(4);
    assertThat(invoke(impl, "twoAnnotations")).isEqualTo(7);
  }

  @Test
  void variant_siblingWithWrongSignature_isRefused_butOthersWork() throws Exception {
    Rewriter loader = new Rewriter(planner, Refused.class);
    assertThat(loader.plans(Refused.class)).doesNotContainKey("entry(Ljava/lang/String;)I");
  }

  private Object call(String name, Object... args) throws Exception {
    return invoke(pricing, name, args);
  }

  private static Object invoke(Object target, String name, Object... args) throws Exception {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw (Exception) e.getCause();
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static Object asUser(String user, Call call) {
    return inScope(Map.of("userId", user), call);
  }

  private static Object inScope(Map<String, ?> attributes, Call call) {
    return DynamicContext.withContext(
        attributes,
        () -> {
          try {
            return call.run();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  /** The site id of the {@code @Toggle} method guarded by {@code flag}. */
  private int toggleSite(String flag) {
    return sites.all().stream()
        .filter(s -> s instanceof Site.ToggleSite t && t.flag.equals(flag))
        .findFirst()
        .orElseThrow()
        .id;
  }
}
