package dev.dynconfig.sync;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one small event loop shared by every network source in the process (one daemon thread, {@code
 * dynconfig-net-*}): connections, reconnect timers and polling timers all run on it, so a JVM with
 * several sources still adds one thread. Reference-counted: the loop stops when the last source
 * closes.
 */
final class ClientLoop {
  private static EventLoopGroup group;
  private static int users;

  private ClientLoop() {}

  static synchronized EventLoopGroup acquire() {
    if (group == null || group.isShuttingDown()) {
      group =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory("dynconfig-net", true), NioIoHandler.newFactory());
    }
    users++;
    return group;
  }

  static synchronized void release(EventLoopGroup g) {
    if (g != group) {
      return;
    }
    if (--users <= 0) {
      users = 0;
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
    }
  }
}
