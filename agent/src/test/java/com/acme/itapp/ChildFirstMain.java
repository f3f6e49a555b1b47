package com.acme.itapp;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FlagApp} in a child-first class loader (as web-app containers do) over the class path
 * given in {@code -Ditapp.childFirst.cp}; only this launcher is on the system class path.
 */
public final class ChildFirstMain {
  private ChildFirstMain() {}

  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("itapp.childFirst.cp").split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    ClassLoader loader = new ChildFirst(urls.toArray(new URL[0]));
    Thread.currentThread().setContextClassLoader(loader);
    loader
        .loadClass("com.acme.itapp.FlagApp")
        .getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }

  /** Looks in its own URLs first, then delegates to the parent (except for JDK classes). */
  static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls) {
      super(urls, ChildFirstMain.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null
            && !name.startsWith("java.")
            && !name.equals(ChildFirstMain.class.getName())) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException e) {
            // not ours: parent below
          }
        }
        if (c == null) {
          c = super.loadClass(name, false);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
