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

    static final String POLICY = "default-src 'self'; connect-src 'self' %s; img-src 'self' data: blob:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.\\[\\]:-]{1,300}");

    /** The console's WebSockets go to the host it was loaded from, named explicitly for browsers older than CSP 3. */
    static String policy(String host) {
        return String.format(POLICY, host != null && HOST.matcher(host).matches() ? "ws://" + host + " wss://" + host : "");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", policy(request.getHeader("Host")));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
