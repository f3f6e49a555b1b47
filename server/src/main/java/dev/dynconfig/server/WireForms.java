package dev.dynconfig.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The newest snapshot as it goes on the wire — the {@code GET /v1/flags} body and the WebSocket
 * frame — encoded once into direct memory and shared by every response and connection (each gets a
 * {@link ByteBuf#duplicate() duplicate}: own indexes, same bytes). So a thousand queued responses
 * of one document hold the document once, not a thousand copies; what is queued per connection is
 * still counted against its write-buffer water marks. The buffers are freed by the garbage
 * collector once no response and no newer snapshot refer to them (they ignore {@code release}).
 */
final class WireForms {
  private record Forms(Snapshot snapshot, ByteBuf body, ByteBuf frame) {}

  private volatile Forms newest;

  /** The document bytes of {@code s}, shared. */
  ByteBuf body(Snapshot s) {
    return forms(s).body().duplicate();
  }

  /** {@code s} as one complete WebSocket text frame (see {@link StreamHandler#encodeFrame}). */
  ByteBuf frame(Snapshot s) {
    return forms(s).frame().duplicate();
  }

  private Forms forms(Snapshot s) {
    Forms f = newest;
    if (f != null && f.snapshot() == s) {
      return f;
    }
    ByteBuf frame = StreamHandler.encodeFrame(s);
    try {
      f = new Forms(s, shared(Unpooled.wrappedBuffer(s.bytes())), shared(frame));
    } finally {
      frame.release();
    }
    Forms cur = newest;
    if (cur == null || cur.snapshot().version() <= s.version()) {
      newest = f; // an older snapshot (a slow sender) is encoded for its caller only
    }
    return f;
  }

  private static ByteBuf shared(ByteBuf content) {
    ByteBuffer direct = ByteBuffer.allocateDirect(content.readableBytes());
    content.getBytes(content.readerIndex(), direct);
    direct.flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
  }
}
