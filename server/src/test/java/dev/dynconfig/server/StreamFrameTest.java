package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame a broadcast encodes once must be what Netty's encoder would send to each client. */
class StreamFrameTest {
  @Test
  void encodedFrame_isByteForByteNettysServerFrame_forEveryLengthEncoding() {
    // Messages under 126 bytes, up to 65,535 (16-bit length) and above (64-bit length).
    for (int docBytes : new int[] {2, 60, 100, 200, 65_000, 65_600, 200_000}) {
      Snapshot s = snapshot(docBytes);

      byte[] ours = bytes(StreamHandler.encodeFrame(s));
      byte[] netty = nettyFrame(s);

      assertThat(ours).as("document of %d bytes", docBytes).isEqualTo(netty);
    }
  }

  @Test
  void encodedFrame_carriesTheSnapshotMessage() {
    Snapshot s = snapshot(40);
    ByteBuf frame = StreamHandler.encodeFrame(s);
    String text = frame.toString(2, frame.readableBytes() - 2, StandardCharsets.UTF_8);
    frame.release();

    assertThat(text)
        .startsWith("{\"type\":\"snapshot\",\"version\":7,\"document\":{")
        .endsWith("}");
  }

  private static Snapshot snapshot(int docBytes) {
    String doc = docBytes <= 2 ? "{}" : "{\"a\":\"" + "x".repeat(docBytes - 8) + "\"}";
    return new Snapshot(7, doc.getBytes(StandardCharsets.UTF_8), null, false);
  }

  private static byte[] nettyFrame(Snapshot s) {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    ch.writeOutbound(new TextWebSocketFrame(StreamHandler.message(s)));
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = ch.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    ch.finishAndReleaseAll();
    return bytes(all);
  }

  private static byte[] bytes(ByteBuf b) {
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }
}
