package com.acme.leakhost;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads the application on {@code -Dleak.cp} in a new {@code URLClassLoader} (parent: the platform
 * loader, so nothing of it comes from the system class path), calls it from a pool of threads that
 * outlives every loader, and drops it, {@code -Dleak.cycles} times. Prints {@code answers=[...]}
 * (every distinct answer) and {@code alive N} (dropped loaders still reachable after GC).
 */
public final class LoaderChurn {
  private LoaderChurn() {}

  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("leak.cp").split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    int cycles = Integer.getInteger("leak.cycles", 20);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<WeakReference<ClassLoader>> dropped = new ArrayList<>();
    Set<String> answers = new TreeSet<>();
    for (int cycle = 0; cycle < cycles; cycle++) {
      dropped.add(cycle(urls, pool, answers));
    }
    System.out.println("answers=" + answers);
    System.out.println("alive " + Leaks.alive(dropped));
    pool.shutdownNow();
    System.out.flush();
    System.exit(0);
  }

  private static WeakReference<ClassLoader> cycle(
      List<URL> urls, ExecutorService pool, Set<String> answers) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      java.lang.reflect.Method exercise =
          loader.loadClass("com.acme.leakapp.Shop").getMethod("exercise", String.class);
      exercise.invoke(null, "warm-up"); // SLF4J initializes on one thread, as the app's main does
      List<Future<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String user = "user-" + i;
        calls.add(pool.submit(() -> exercise.invoke(null, user)));
      }
      for (Future<Object> call : calls) {
        answers.add(String.valueOf(call.get()));
      }
      return new WeakReference<>(loader);
    }
  }
}
