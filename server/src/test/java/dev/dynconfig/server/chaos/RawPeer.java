package dev.dynconfig.server.chaos;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-driven client socket: it writes exactly the bytes a test wants (a request head, an
 * upgrade, nothing at all) and reads raw frames, so it can be slow, silent, rude or half finished
 * in ways no real client library allows.
 */
final class RawPeer implements AutoCloseable {
  /** One WebSocket frame as read from the server. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawPeer(Socket s) throws IOException {
    this.socket = s;
    this.in = new DataInputStream(s.getInputStream());
    this.out = s.getOutputStream();
  }

  static RawPeer connect(int port) throws IOException {
    return connect(port, -1);
  }

  /** With {@code receiveBuffer > 0}, a small kernel receive buffer (set before connecting). */
  static RawPeer connect(int port, int receiveBuffer) throws IOException {
    return connectFrom(null, port, receiveBuffer);
  }

  /**
   * From a given loopback source address (e.g. {@code 127.0.0.2}: all of 127/8 is local on Linux),
   * so that a test can play clients at different addresses.
   */
  static RawPeer connectFrom(String localAddress, int port, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (localAddress != null) {
      s.bind(new InetSocketAddress(localAddress, 0));
    }
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    return new RawPeer(s);
  }

  RawPeer write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  RawPeer write(byte[] b) throws IOException {
    out.write(b);
    out.flush();
    return this;
  }

  /** Sends a WebSocket upgrade for {@code /v1/stream}; {@code token} may be null. */
  RawPeer upgrade(String token, long version) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return write(
        "GET /v1/stream"
            + (version >= 0 ? "?version=" + version : "")
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n");
  }

  /** Reads a response head; returns it (status line first). */
  String readHead() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 4 || !sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + sb);
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  /** The status code of a response head. */
  static int status(String head) {
    return Integer.parseInt(head.substring(9, 12));
  }

  Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if (len > 64 << 20) {
      throw new IOException("frame of " + len + " bytes");
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, payload);
  }

  /** A masked client frame (RFC 6455 requires clients to mask). */
  RawPeer sendFrame(int opcode, byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(0x80 | opcode);
    if (payload.length < 126) {
      b.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      b.write(0x80 | 126);
      b.write(payload.length >>> 8);
      b.write(payload.length);
    } else {
      b.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        b.write((int) ((long) payload.length >>> (8 * i)));
      }
    }
    b.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      b.write(payload[i] ^ mask[i % 4]);
    }
    return write(b.toByteArray());
  }

  /**
   * Reads until the server closes the connection; returns the bytes read. Fails on timeout (the
   * server did not close it).
   */
  byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  /** True when the server closed the connection within the socket's read timeout. */
  boolean closedByServer() throws IOException {
    try {
      byte[] buf = new byte[8192];
      while (in.read(buf) >= 0) {
        // discard pings and the like until the end
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true; // RST is a close too
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
