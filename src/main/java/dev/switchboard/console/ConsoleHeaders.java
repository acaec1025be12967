package dev.switchboard.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The console's pages and assets may load nothing from anywhere but this server (the browser enforces it:
 * a Content-Security-Policy of {@code 'self'}, WebSockets to this host included), may not be framed, and are
 * revalidated on every load so an upgraded server never runs an old script.
 */
@WebFilter("/admin/*")
public class ConsoleHeaders extends HttpFilter {

    static final String POLICY = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
