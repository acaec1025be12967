package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;
import org.glassfish.grizzly.Connection;

import java.lang.reflect.Constructor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes Grizzly drop what a connection still sends once its WebSocket has closed, instead of handing it to an HTTP
 * request object that is no longer the connection's. Grizzly's HTTP codec keeps the upgrade request
 * ({@code HttpServerFilter$ServerHttpRequestImpl}) as an attribute of the connection for as long as the connection
 * lives and passes everything it reads there as that request's content. When the WebSocket closes, Tyrus closes the
 * servlet upgrade, Catalina finishes the request, and Grizzly recycles it into the finishing worker's object cache,
 * from which the next HTTP request that worker parses takes it, but the connection's attribute still points at it.
 * The TCP connection itself closes only once its write queue has drained (a graceful close), so a client that had
 * not read everything yet, or that sends its own close frame or more bytes, or resets the connection meanwhile, is
 * read again, with that recycled request: Payara runs it through the servlet filters once more (seen as
 * {@code ws.request.redispatched-after-commit}) and, when another connection's request got the same object from the
 * cache meanwhile, both use it at once, and that other, ordinary request fails ({@code NullPointerException}s in
 * {@code HttpCodecUtils.parseHost}, {@code HttpServerFilter.afterService}, on {@code methodString}, Catalina's
 * context: seen by the fault suite's soak on {@code /metrics} polls when 1,000 clients left at once).
 *
 * <p>So in {@code @OnClose}, which Tyrus calls before it closes the servlet upgrade, the connection (noted in
 * {@code @OnOpen}: a closed Tyrus session no longer leads to it) has its attribute pointed at a request of its own,
 * marked content-broken: the codec then stops at once for whatever is read on that connection (its
 * {@code isContentBroken()} check) and never reaches the recycled one. The recycled request is not
 * touched. Reached through the codec's class by name ({@link TyrusInternals}); where the running Grizzly does not have
 * what this expects, nothing changes (logged once).</p>
 */
final class LateReads {

    private static final Logger LOG = Logger.getLogger(LateReads.class.getName());
    private static final String CODEC = "org.glassfish.grizzly.http.HttpServerFilter";
    private static final String CODEC_REQUEST = CODEC + "$ServerHttpRequestImpl";
    private static volatile boolean unavailable;
    private static volatile boolean announced;
    /** The codec's {@code HTTP_SERVER_REQUEST_ATTR_NAME} (its class name and ".HttpRequest"; checked once). */
    private static final String ATTRIBUTE = CODEC + ".HttpRequest";
    /** The session's user property that holds its Grizzly connection from {@code @OnOpen} to {@code @OnClose}. */
    private static final String CONNECTION = LateReads.class.getName() + ".connection";
    private static volatile Constructor<?> placeholder;
    private static volatile java.lang.reflect.Method broken;

    private LateReads() {
    }

    /** Call it from {@code @OnOpen}: notes the session's Grizzly connection (a closed session no longer leads to it). */
    static void track(Session session) {
        if (unavailable) {
            return;
        }
        try {
            session.getUserProperties().put(CONNECTION, TyrusInternals.grizzlyConnection(TyrusInternals.writerOf(session)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "grizzly.drop-late-reads unavailable, a closed connection's late reads reach its recycled request: " + e);
        }
    }

    /** Call it from {@code @OnClose}: later reads of the session's connection are dropped. */
    static void stop(Session session) {
        if (unavailable || !(session.getUserProperties().remove(CONNECTION) instanceof Connection<?> connection)) {
            return;
        }
        try {
            Object current = connection.getAttributes().getAttribute(ATTRIBUTE);
            if (current == null) {
                return; // no request in progress for the codec: nothing to cut off
            }
            if (placeholder == null) {
                resolve(current.getClass());
            }
            Object own = placeholder.newInstance();
            broken.invoke(own, true);
            connection.getAttributes().setAttribute(ATTRIBUTE, own);
            if (!announced) {
                announced = true;
                LOG.info("grizzly.drop-late-reads active");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "grizzly.drop-late-reads unavailable, a closed connection's late reads reach its recycled request: " + e);
        }
    }

    /** From the request the codec keeps, checked to be the class, attribute and setter this expects. */
    private static synchronized void resolve(Class<?> request) throws ReflectiveOperationException {
        Class<?> codec = request.getDeclaringClass();
        if (!request.getName().equals(CODEC_REQUEST) || codec == null
                || !ATTRIBUTE.equals(codec.getField("HTTP_SERVER_REQUEST_ATTR_NAME").get(null))) {
            throw new NoSuchFieldException("the codec keeps a " + request.getName() + " as " + ATTRIBUTE);
        }
        broken = request.getMethod("setContentBroken", boolean.class);
        Constructor<?> c = request.getDeclaredConstructor();
        c.setAccessible(true);
        placeholder = c;
    }
}
