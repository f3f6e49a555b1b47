package dev.dynconfig.internal.source.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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

  /**
   * Opens a client connection to {@code remote} on {@code loop}: TLS first when {@code ssl} is not
   * null (checking {@code host}), then the handlers that {@code handlers} adds to each new
   * channel's pipeline.
   */
  static ChannelFuture connect(
      EventLoopGroup loop,
      SslContext ssl,
      String host,
      int port,
      InetSocketAddress remote,
      Duration connectTimeout,
      Consumer<ChannelPipeline> handlers) {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                if (ssl != null) {
                  ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
                }
                handlers.accept(ch.pipeline());
              }
            })
        .connect(remote);
  }
}
