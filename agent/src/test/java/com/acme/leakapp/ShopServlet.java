package com.acme.leakapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /shop/?user=u1} answers {@link Shop#exercise} for that user. */
public class ShopServlet extends HttpServlet {
  @Override
  public void init() {
    // SLF4J initializes on one thread: concurrent first requests would see its temporary MDC.
    org.slf4j.LoggerFactory.getILoggerFactory();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain");
    response.getWriter().print(Shop.exercise(request.getParameter("user")));
  }
}
