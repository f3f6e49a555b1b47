package dev.dynconfig.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections in total and per client address: one more is closed as soon as it is
 * accepted, before any byte is read, so a flood from one address cannot take every file descriptor
 * and event-loop slot from the others. First in every pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionCaps extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionCaps.class);

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress =
      new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final java.util.Set<Channel> channels = ConcurrentHashMap.newKeySet();

  ConnectionCaps(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Open connections counted right now. */
  int open() {
    return total.get();
  }

  /** The connections counted right now (for monitoring). */
  Iterable<Channel> channels() {
    return channels;
  }

  /** Connections closed on arrival because a cap was reached, since the start. */
  int refused() {
    return refused.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress address = address(ctx.channel().remoteAddress());
    AtomicInteger mine =
        address == null ? null : perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    int all = total.incrementAndGet();
    channels.add(ctx.channel());
    int own = mine == null ? 0 : mine.incrementAndGet();
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              total.decrementAndGet();
              channels.remove(ctx.channel());
              if (mine != null && mine.decrementAndGet() == 0) {
                perAddress.remove(address, mine);
              }
            });
    if (all > maxTotal || own > maxPerAddress) {
      if (refused.getAndIncrement() % 1000 == 0) {
        log.warn(
            "Refusing connections: {} open (cap {}), {} from {} (cap {}); raise the caps with"
                + " --max-connections / --max-connections-per-address if this is real traffic",
            all,
            maxTotal,
            own,
            address,
            maxPerAddress);
      }
      ctx.close();
      return;
    }
    ctx.fireChannelActive();
  }

  private static InetAddress address(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i.getAddress() : null;
  }
}
