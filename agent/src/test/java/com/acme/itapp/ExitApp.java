package com.acme.itapp;

/** Calls a rewritten method once and returns from main: the JVM must exit on its own. */
public final class ExitApp {
  private ExitApp() {}

  public static void main(String[] args) {
    System.out.println("price=" + new Checkout().price() + " refused=" + new Checkout().refused());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("dynconfig") || !t.isDaemon()) {
        System.out.println("thread name=" + t.getName() + " daemon=" + t.isDaemon());
      }
    }
    System.out.println("main returns");
  }
}
