package com.acme.itapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.LoggerFactory;

/** Uses the application's own Jackson, Netty and SLF4J and reports their versions. */
final class LibsProbe {
  private LibsProbe() {}

  static String describe() throws Exception {
    String jackson = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString();
    int parsed = new ObjectMapper().readTree("{\"a\": 7}").get("a").asInt();
    ByteBuf buf = Unpooled.buffer().writeInt(parsed);
    String netty = io.netty.util.Version.identify().get("netty-buffer").artifactVersion();
    LoggerFactory.getLogger(LibsProbe.class).info("app logging through its own SLF4J");
    String slf4j = LoggerFactory.getILoggerFactory().getClass().getName();
    return "libs jackson="
        + jackson
        + " netty="
        + netty
        + " slf4j="
        + slf4j
        + " probe="
        + buf.readInt();
  }
}
