package com.acme.itapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * A host app for fault injection: worker threads call the rewritten {@link Checkout} methods as
 * fast as they can, each call wrapped in {@code catch (Throwable)} so anything dynconfig let
 * through is printed as a {@code THROWN} line (with its stack trace) instead of killing the worker.
 * Every 100 ms main prints {@code progress calls=<all calls> min=<calls of the slowest worker>
 * thrown=<n> values=<price>/<timeout>/<steps>} (the values worker 0 saw last). {@code quit} on
 * stdin stops the workers and returns from main, printing {@code bye}. Argument: the number of
 * workers (default 4).
 */
public final class FaultApp {
  private static final AtomicLong thrown = new AtomicLong();
  private static volatile boolean running = true;
  private static volatile String values = "none";

  private FaultApp() {}

  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    // Initialize SLF4J before the workers use the MDC: during SLF4J 2's initialization MDC.put goes
    // to a temporary adapter whose values are dropped ("Temporary mdcAdapter given by ...").
    org.slf4j.LoggerFactory.getILoggerFactory();
    Checkout checkout = new Checkout();
    AtomicLong[] calls = new AtomicLong[workers];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      AtomicLong counter = calls[i] = new AtomicLong();
      int n = i;
      Thread t = new Thread(() -> work(checkout, n, counter), "app-worker-" + i);
      threads.add(t);
      t.start();
    }
    Thread stdin =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.trim().equals("quit")) {
                    break;
                  }
                }
              } catch (Exception ignored) {
                // stdin closed: quit as well
              }
              running = false;
            },
            "app-stdin");
    stdin.setDaemon(true);
    stdin.start();
    while (running) {
      long total = 0;
      long min = Long.MAX_VALUE;
      for (AtomicLong c : calls) {
        long v = c.get();
        total += v;
        min = Math.min(min, v);
      }
      System.out.println(
          "progress calls=" + total + " min=" + min + " thrown=" + thrown + " values=" + values);
      System.out.flush();
      Thread.sleep(100);
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.println("bye");
    System.out.flush();
  }

  private static void work(Checkout checkout, int worker, AtomicLong calls) {
    String user = "user-" + worker;
    while (running) {
      MDC.put("userId", user); // the same String each time: the agent reuses its context

      String price = "?";
      long timeout = -1;
      int steps = -1;
      try {
        price = checkout.price();
      } catch (Throwable t) {
        report("price", t);
      }
      try {
        timeout = checkout.timeoutMs();
      } catch (Throwable t) {
        report("timeoutMs", t);
      }
      try {
        steps = checkout.steps();
      } catch (Throwable t) {
        report("steps", t);
      }
      calls.addAndGet(3);
      if (worker == 0) {
        values = price + "/" + timeout + "/" + steps;
      }
    }
  }

  private static void report(String method, Throwable t) {
    thrown.incrementAndGet();
    synchronized (System.out) {
      System.out.println("THROWN from " + method + ": " + t);
      t.printStackTrace(System.out);
      System.out.flush();
    }
  }
}
