package dev.dynconfig.agent.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** Remote JMX into a forked JVM, as an operator's tool connects: on a free loopback port. */
final class RemoteJmx implements AutoCloseable {
  final int port;
  private JMXConnector connector;

  RemoteJmx() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
  }

  /** The JVM options that open remote JMX (no authentication, loopback only) on {@link #port}. */
  List<String> jvmArgs() {
    return List.of(
        "-Dcom.sun.management.jmxremote.port=" + port,
        "-Dcom.sun.management.jmxremote.rmi.port=" + port,
        "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false",
        "-Dcom.sun.management.jmxremote.host=127.0.0.1",
        "-Djava.rmi.server.hostname=127.0.0.1");
  }

  /**
   * Connects (retrying while the JVM opens its port) and waits until {@code name} is registered.
   */
  MBeanServerConnection connect(ChildJvm app, ObjectName name) throws Exception {
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
    while (true) {
      try {
        if (connector == null) {
          connector = JMXConnectorFactory.connect(url);
        }
        MBeanServerConnection jmx = connector.getMBeanServerConnection();
        if (jmx.isRegistered(name)) {
          return jmx;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not connect to " + url + "\n" + app.dump(), e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " was not registered\n" + app.dump());
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException appAlreadyGone) {
        // the app JVM was destroyed first; nothing left to close
      }
    }
  }
}
