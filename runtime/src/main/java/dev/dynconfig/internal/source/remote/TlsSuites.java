package dev.dynconfig.internal.source.remote;

import java.util.List;

/**
 * The TLS the server and the clients offer: TLS 1.3, and TLS 1.2 with ECDHE key exchange (forward
 * secrecy) and AEAD ciphers only; no RSA key exchange, no CBC, no SHA-1 MACs.
 */
public final class TlsSuites {
  /** Protocols, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** Cipher suites, preferred first; suites the JDK does not support are left out at run time. */
  public static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsSuites() {}
}
