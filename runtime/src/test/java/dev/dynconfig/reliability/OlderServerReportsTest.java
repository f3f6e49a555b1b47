package dev.dynconfig.reliability;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.insight.FleetReports;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new client against a server from before fleet reports, which closes any connection on which a
 * client sends a message with 1003: the client sends one report, then never again, and keeps
 * receiving its configuration.
 */
class OlderServerReportsTest {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final RecordingSink sink = RecordingSink.judgingFlagDocuments();
  private WebSocketSource source;

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    FleetReports.install(null, Duration.ofSeconds(30));
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void clientStopsReporting_afterTheServerClosedWith1003_andKeepsItsConfiguration()
      throws Exception {
    Channel server = olderServer();
    int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    FleetReports.install(
        () ->
            new FleetReports.Report() {
              @Override
              public Map<String, Object> fields() {
                return Map.of("instance", "i-1", "app", "probe");
              }

              @Override
              public void sent() {}
            },
        Duration.ofMillis(100));
    source =
        new WebSocketSource(
            RemoteSettings.of(URI.create("ws://127.0.0.1:" + port + "/v1/stream"), "t")
                .withRetry(new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(100)))
                .withPollingInterval(Duration.ofSeconds(30)));
    source.start(sink);

    await("a second connection after the 1003", () -> connections.get() >= 2);
    await("the configuration on the second connection", () -> sink.currentVersion() == 1);
    int reportsSoFar = received.size();
    // Ten report intervals on the second connection: nothing more is sent.
    long until = System.nanoTime() + Duration.ofMillis(1000).toNanos();
    while (System.nanoTime() < until && connections.get() == 2) {
      Thread.sleep(50);
    }
    assertThat(reportsSoFar).isEqualTo(1);
    assertThat(received).hasSize(1).allMatch(m -> m.startsWith("{\"type\":\"report\""));
    assertThat(connections).hasValue(2);
    assertThat(sink.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);
  }

  /** The stream endpoint as servers without fleet reports had it. */
  private Channel olderServer() {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(65536))
                    .addLast(
                        new WebSocketServerProtocolHandler(
                            "/v1/stream", null, false, 65536, false, true))
                    .addLast(
                        new SimpleChannelInboundHandler<WebSocketFrame>() {
                          @Override
                          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                              connections.incrementAndGet();
                              ctx.writeAndFlush(
                                  new TextWebSocketFrame(
                                      "{\"type\":\"snapshot\",\"version\":1,\"document\":"
                                          + "{\"version\":1,\"flags\":[]}}"));
                            }
                          }

                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                            if (f instanceof TextWebSocketFrame t) {
                              received.add(t.text());
                            }
                            ctx.writeAndFlush(
                                    new CloseWebSocketFrame(
                                        WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                                        "clients send no messages on /v1/stream"))
                                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                          }
                        });
              }
            })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }
}
