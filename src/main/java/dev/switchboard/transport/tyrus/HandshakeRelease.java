package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of what the container keeps of a connection's handshake once the connection is open, so that an idle
 * connection costs less (measured with the benchmark's {@code heap} scenario):
 * <ul>
 *   <li>Tyrus's upgrade handler keeps its {@code UpgradeInfo}, and through it Tyrus's copies of the handshake request
 *       and response (their header maps, the request URI, the parameters), though it reads it only in {@code init},
 *       which is what calls the endpoint's {@code @OnOpen}, from where this runs;</li>
 *   <li>Grizzly keeps the upgraded HTTP request and its response for the connection's life (the connection's bytes
 *       still pass through them), and with them the header fields of both: each a name and a value chunk made of
 *       three buffers' worth of objects. The 101 response is sent before {@code @OnOpen} runs and nothing reads its
 *       headers after that, so its fields are emptied and their array replaced by an empty one. The request's are
 *       kept: Grizzly's HTTP/2 filter reads their {@code Upgrade} header at every read of the connection,
 *       concurrently with this (emptying them once made such a read fail and drop the connection).</li>
 * </ul>
 * Everything is reached through private fields of Tyrus, Payara's Catalina and Grizzly ({@link TyrusInternals});
 * when a version does not have what this expects, nothing is released (logged once) and nothing else changes.
 */
final class HandshakeRelease {

    private static final Logger LOG = Logger.getLogger(HandshakeRelease.class.getName());
    private static final String HTTP_HEADER = "org.glassfish.grizzly.http.HttpHeader";
    private static final String MIME_HEADERS = "org.glassfish.grizzly.http.util.MimeHeaders";
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    private HandshakeRelease() {
    }

    /** Call it from {@code @OnOpen}. */
    static void release(Session session) {
        if (unavailable) {
            return;
        }
        try {
            Object handler = TyrusInternals.upgradeHandler(TyrusInternals.writerOf(session));
            // init() has read it already: it is what is calling @OnOpen now
            TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "upgradeInfo").set(handler, null);
            Object out = TyrusInternals.read(handler, TyrusInternals.UPGRADE_HANDLER, "os");
            Object catalina = TyrusInternals.read(out, "org.apache.catalina.connector.CoyoteOutputStream", "ob");
            Object response = TyrusInternals.read(catalina, "org.apache.catalina.connector.OutputBuffer", "grizzlyResponse");
            Object responsePacket = TyrusInternals.read(response, "org.glassfish.grizzly.http.server.Response", "response");
            if (!committed(responsePacket)) {
                return; // not seen: the 101 is always sent before @OnOpen; then keep everything
            }
            // not the request's headers (see above): NullPointerException in Http2BaseFilter.checkRequestHeadersOnUpgrade
            empty(TyrusInternals.read(responsePacket, HTTP_HEADER, "headers"));
            if (!announced) {
                announced = true;
                LOG.info("tyrus.release-handshake active");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.release-handshake unavailable, connections keep their handshake: " + e);
        }
    }

    private static boolean committed(Object responsePacket) throws ReflectiveOperationException {
        Field f = TyrusInternals.declared(responsePacket, HTTP_HEADER, "isCommitted");
        return f.getType() == boolean.class && f.getBoolean(responsePacket);
    }

    /** Recycles every header field and drops them all: the headers hold none, and make new fields if ever added to. */
    private static void empty(Object mimeHeaders) throws ReflectiveOperationException {
        mimeHeaders.getClass().getMethod("recycle").invoke(mimeHeaders);
        Field fields = TyrusInternals.declared(mimeHeaders, MIME_HEADERS, "headers");
        Field count = TyrusInternals.declared(mimeHeaders, MIME_HEADERS, "count");
        if (!fields.getType().isArray() || count.getType() != int.class || count.getInt(mimeHeaders) != 0) {
            throw new NoSuchFieldException(MIME_HEADERS + " is not as expected");
        }
        fields.set(mimeHeaders, Array.newInstance(fields.getType().getComponentType(), 1));
    }
}
