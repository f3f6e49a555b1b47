package com.acme.leakhost;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat deploying the web application in {@code -Dleak.war} (WEB-INF/classes and
 * WEB-INF/lib, loaded by Tomcat's own web-app class loader), serving it from Tomcat's request
 * threads, and undeploying it, {@code -Dleak.cycles} times; then reports what stayed alive.
 *
 * <p>Prints {@code cycle N answers=[...] guarded=[...]} per deployment, then {@code alive N}
 * (undeployed loaders still reachable after GC), {@code guarded-after-undeploy [...]} and, after
 * one more deployment, {@code guarded-redeployed [...]}.
 */
public final class TomcatHost {
  private static final String METHOD = "com.acme.leakapp.Shop#targeted()";

  private TomcatHost() {}

  public static void main(String[] args) throws Exception {
    String war = System.getProperty("leak.war");
    int cycles = Integer.getInteger("leak.cycles", 5);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(System.getProperty("leak.base"));
    tomcat.setPort(0);
    tomcat.getConnector();
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    List<WeakReference<ClassLoader>> undeployed = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    for (int cycle = 1; cycle <= cycles; cycle++) {
      Context context = deploy(tomcat, war);
      undeployed.add(new WeakReference<>(context.getLoader().getClassLoader()));
      Set<String> answers = requests(clients, port);
      String guarded = Leaks.guarded("leak-targeted", List.of(METHOD));
      System.out.println("cycle " + cycle + " answers=" + answers + " guarded=" + guarded);
      tomcat.getHost().removeChild(context);
      context = null;
    }
    System.out.println("alive " + Leaks.alive(undeployed));
    System.out.println("guarded-after-undeploy " + Leaks.guarded("leak-targeted", List.of()));
    Context last = deploy(tomcat, war);
    Set<String> answers = requests(clients, port);
    System.out.println(
        "guarded-redeployed "
            + Leaks.guarded("leak-targeted", List.of(METHOD))
            + " answers="
            + answers);
    clients.shutdownNow();
    tomcat.getHost().removeChild(last);
    tomcat.stop();
    tomcat.destroy();
    System.out.flush();
    System.exit(0);
  }

  private static Context deploy(Tomcat tomcat, String war) {
    Context context = tomcat.addContext("/shop", war);
    Tomcat.addServlet(context, "shop", "com.acme.leakapp.ShopServlet");
    context.addServletMappingDecoded("/*", "shop");
    return context;
  }

  /** 40 requests of 8 users from 4 client threads; the distinct answers. */
  private static Set<String> requests(ExecutorService clients, int port) throws Exception {
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String user = "user-" + (i % 8);
      calls.add(clients.submit(() -> get(port, user)));
    }
    Set<String> answers = new TreeSet<>();
    for (Future<String> call : calls) {
      answers.add(call.get());
    }
    return answers;
  }

  private static String get(int port, String user) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/shop/?user=" + user).toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
