package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/admin/history}, {@code GET /v1/admin/history/{id}} and {@code POST
 * /v1/admin/history/{id}/revert}: the store's change history, and putting a change's items back as
 * a new change.
 */
final class HistoryEndpoint {
  private static final int DEFAULT_LIMIT = 100;

  private HistoryEndpoint() {}

  static void handle(
      ServedStore store,
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      String[] seg,
      Author author) {
    HttpMethod m = req.method();
    QueryStringDecoder qs = new QueryStringDecoder(req.uri());
    ChangeHistory history = store.history();
    if (seg.length == 1 || seg.length == 2) {
      if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
        HttpHandler.respond(
            ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, HttpHandler.error("use GET"));
        return;
      }
      if (seg.length == 1) {
        list(store, ctx, req, qs);
        return;
      }
    }
    long id;
    try {
      id = Long.parseLong(seg[1]);
    } catch (NumberFormatException e) {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          HttpHandler.error("history/" + seg[1] + ": a change id is a number"));
      return;
    }
    Optional<Change> change = history.get(id);
    if (change.isEmpty()) {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          HttpHandler.error("no change " + id + " in the history (it keeps the newest ones)"));
      return;
    }
    if (seg.length == 2) {
      HttpHandler.respond(ctx, req, HttpResponseStatus.OK, change.get().toJson());
      return;
    }
    if (seg.length != 3 || !seg[2].equals("revert") || !m.equals(HttpMethod.POST)) {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          HttpHandler.error("use POST /v1/admin/history/{id}/revert"));
      return;
    }
    revert(store, ctx, req, qs, change.get(), author);
  }

  private static void list(
      ServedStore store, ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs) {
    ChangeHistory history = store.history();
    int limit;
    long before;
    try {
      limit = (int) Math.min(1000, Math.max(1, param(qs, "limit", DEFAULT_LIMIT)));
      before = param(qs, "before", Long.MAX_VALUE);
    } catch (NumberFormatException e) {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          HttpHandler.error("limit and before must be numbers"));
      return;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("version", store.current().version());
    body.put("coveredFrom", history.coveredFrom());
    ArrayNode arr = body.putArray("changes");
    for (Change c : history.list(limit, before)) {
      arr.add(c.toJson());
    }
    HttpHandler.respond(ctx, req, HttpResponseStatus.OK, body);
  }

  private static void revert(
      ServedStore store,
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder qs,
      Change change,
      Author author) {
    List<String> to = qs.parameters().getOrDefault("to", List.of("before"));
    boolean toBefore = !to.get(0).equals("after");
    if (!to.get(0).equals("before") && toBefore) {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          HttpHandler.error("to must be 'before' (undo the change) or 'after' (redo it)"));
      return;
    }
    List<Item> items = new ArrayList<>();
    for (ItemChange c : change.items()) {
      items.add(c.item());
    }
    Precondition pre;
    try {
      pre = AdminEndpoint.precondition(req, items);
    } catch (AdminException e) {
      HttpHandler.respond(
          ctx, req, HttpResponseStatus.valueOf(e.status()), HttpHandler.error(e.getMessage()));
      return;
    }
    String what =
        "revert change "
            + change.id()
            + " (version "
            + change.version()
            + ") to its state "
            + (toBefore ? "before" : "after");
    AdminEndpoint.write(store, ctx, req, author, what, pre, ItemEdits.restore(change, toBefore));
  }

  private static long param(QueryStringDecoder qs, String name, long dflt) {
    List<String> v = qs.parameters().get(name);
    return v == null || v.isEmpty() ? dflt : Long.parseLong(v.get(0));
  }
}
