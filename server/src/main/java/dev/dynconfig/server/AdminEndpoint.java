package dev.dynconfig.server;

import static dev.dynconfig.server.HttpHandler.error;
import static dev.dynconfig.server.HttpHandler.problems;
import static dev.dynconfig.server.HttpHandler.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.json.DocumentException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/admin/…} (except the fleet view): reading and editing the stored document's flags,
 * tests and config with the admin token, each edit conditional on {@code If-Match} when given, and
 * the history routes ({@link HistoryEndpoint}).
 */
final class AdminEndpoint {
  // Logs under the HTTP handler's name, which is what operators configure.
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);

  private AdminEndpoint() {}

  static void handle(
      ServedStore store, ChannelHandlerContext ctx, FullHttpRequest req, String route) {
    String[] seg;
    try {
      seg = Access.segments(route);
    } catch (IllegalArgumentException badEncoding) {
      respond(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          error("malformed percent-encoding in " + route + ": " + badEncoding.getMessage()));
      return;
    }
    for (String s : seg) {
      if (s.isEmpty()) {
        respond(ctx, req, HttpResponseStatus.NOT_FOUND, error("empty path segment in " + route));
        return;
      }
    }
    Author author = author(ctx);
    if (seg[0].equals("history")) {
      HistoryEndpoint.handle(store, ctx, req, seg, author);
      return;
    }
    HttpMethod m = req.method();
    boolean put = m.equals(HttpMethod.PUT);
    boolean delete = m.equals(HttpMethod.DELETE);
    if (!put && !delete) {
      respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use PUT or DELETE"));
      return;
    }
    JsonNode body = null;
    if (put) {
      byte[] bytes = new byte[req.content().readableBytes()];
      req.content().getBytes(req.content().readerIndex(), bytes);
      try {
        body = StrictTree.read(bytes);
      } catch (StrictTree.Refused e) {
        ObjectNode problem =
            error(
                "the body cannot be taken exactly as sent, nothing was changed: "
                    + e.path()
                    + " "
                    + e.getMessage());
        ObjectNode p = problem.putArray("problems").addObject();
        p.put("path", e.path());
        p.put("reason", e.getMessage());
        respond(ctx, req, HttpResponseStatus.BAD_REQUEST, problem);
        return;
      }
    }
    final JsonNode b = body;
    FlagStore.Edit edit;
    List<Item> items;
    String kind = seg[0];
    if (kind.equals("flags") && seg.length == 2) {
      String key = seg[1];
      items = List.of(Item.flag(key));
      edit =
          (root, flagd) -> {
            if (put) {
              DocumentShapes.putFlag(root, flagd, key, b);
            } else {
              DocumentShapes.deleteFlag(root, flagd, key);
            }
            return root;
          };
    } else if (kind.equals("tests") && seg.length == 2) {
      String id = seg[1];
      items = List.of(Item.test(id));
      edit =
          (root, flagd) -> {
            nativeOnly(flagd, "tests");
            if (put) {
              DocumentShapes.putTest(root, id, b);
            } else {
              DocumentShapes.deleteTest(root, id);
            }
            return root;
          };
    } else if (kind.equals("config") && seg.length == 3) {
      String ns = seg[1];
      String key = seg[2];
      items = List.of(Item.config(ns, key));
      edit =
          (root, flagd) -> {
            nativeOnly(flagd, "config");
            if (put) {
              DocumentShapes.putConfig(root, ns, key, b);
            } else {
              DocumentShapes.deleteConfig(root, ns, key);
            }
            return root;
          };
    } else if (kind.equals("document") && seg.length == 1 && put) {
      if (!b.isObject()) {
        respond(
            ctx, req, HttpResponseStatus.BAD_REQUEST, error("the document must be a JSON object"));
        return;
      }
      items = List.of();
      edit = (root, flagd) -> (ObjectNode) b;
    } else {
      respond(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          error(
              "no such admin endpoint: "
                  + m
                  + " /v1/admin/"
                  + route
                  + " (flags/{key}, tests/{id}, config/{namespace}/{key}, document, history)"));
      return;
    }
    Precondition pre;
    try {
      pre = precondition(req, items);
    } catch (AdminException e) {
      respond(ctx, req, HttpResponseStatus.valueOf(e.status()), error(e.getMessage()));
      return;
    }
    write(store, ctx, req, author, m.name() + " " + route, pre, edit);
  }

  /** The caller as the gate identified it. */
  static Author author(ChannelHandlerContext ctx) {
    Principal p = ctx.channel().attr(AuthGate.PRINCIPAL).get();
    Source src = ctx.channel().attr(AuthGate.SOURCE).get();
    return new Author(
        p == null ? "unknown" : p.name(),
        src == null ? Source.API : src,
        String.valueOf(ctx.channel().remoteAddress()));
  }

  /** The request's {@code If-Match} for these items, or null without one. */
  static Precondition precondition(FullHttpRequest req, List<Item> items) throws AdminException {
    String ifMatch = req.headers().get(HttpHeaderNames.IF_MATCH);
    return ifMatch == null ? null : new Precondition(Precondition.parseIfMatch(ifMatch), items);
  }

  /**
   * Submits an edit to the store and answers {@code 200 {"version"}} with the new ETag, or the
   * refusal (400 with problems, 404, 409 with the conflicting change, 500).
   */
  static void write(
      ServedStore store,
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      Author author,
      String what,
      Precondition pre,
      FlagStore.Edit edit) {
    store
        .submit(author, what, pre, edit)
        .whenComplete(
            (snap, err) -> {
              if (err == null) {
                ObjectNode ok = JsonNodeFactory.instance.objectNode();
                ok.put("version", snap.version());
                respond(ctx, req, HttpResponseStatus.OK, ok, snap.etag());
                return;
              }
              Throwable t =
                  err instanceof CompletionException && err.getCause() != null
                      ? err.getCause()
                      : err;
              if (t instanceof DocumentException de) {
                log.info("Refused admin {}: {}", what, de.getMessage());
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, problems(de));
              } else if (t instanceof AdminException ae) {
                ObjectNode body = error(ae.getMessage());
                if (ae.detail() != null) {
                  body.setAll(ae.detail());
                }
                respond(ctx, req, HttpResponseStatus.valueOf(ae.status()), body);
              } else {
                log.error("Admin {} failed", what, t);
                respond(
                    ctx,
                    req,
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    error("the write failed on the server (" + t + "); nothing was changed"));
              }
            });
  }

  private static void nativeOnly(boolean flagd, String what) throws AdminException {
    if (flagd) {
      throw new AdminException(
          400,
          "the server's file is in flagd format, which has no "
              + what
              + "; use PUT /v1/admin/flags/{key} with a flagd flag, or PUT /v1/admin/document");
    }
  }
}
