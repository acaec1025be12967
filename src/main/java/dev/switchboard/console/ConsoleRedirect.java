package dev.switchboard.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /}: a browser (it accepts {@code text/html}) is sent to the admin console at {@code /admin/};
 * anything else gets 404 as before. Mapped to the context root only (the empty pattern), so no other path changes.
 */
@WebServlet("")
public class ConsoleRedirect extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html")) {
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", request.getContextPath() + "/admin/");
            return;
        }
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}
