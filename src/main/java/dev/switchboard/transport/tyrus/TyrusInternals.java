package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;
import org.glassfish.grizzly.Connection;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private fields of Tyrus (and of Payara's servlet container under it) that {@link TyrusWire},
 * {@link GrizzlyWire} and {@link TyrusInput} reach through. Each caller falls back to the standard path when a
 * lookup fails, so another container or version only loses the shortcut.
 */
final class TyrusInternals {

    static final String UPGRADE_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";

    /**
     * Tyrus hands the container a proxy subclass of its upgrade handler ({@code TyrusServletUpgrade$TyrusHttpUpgradeHandlerProxy})
     * that forwards to the real one in a field of its own: that field, for a class that has one.
     */
    private static final ClassValue<Optional<Field>> DELEGATE = new ClassValue<>() {
        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            if (type.getName().equals(UPGRADE_HANDLER)) {
                return Optional.empty();
            }
            for (Field f : type.getDeclaredFields()) {
                if (f.getType().getName().equals(UPGRADE_HANDLER)) {
                    f.setAccessible(true);
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    };

    /** Fields found so far, by declaring class and name (every connection open reads the same dozen). */
    private static final ConcurrentHashMap<String, Field> FIELDS = new ConcurrentHashMap<>();

    private TyrusInternals() {
    }

    /** Tyrus's connection writer behind a session (under the servlet container, a {@code TyrusServletWriter}). */
    static Writer writerOf(Session session) throws ReflectiveOperationException {
        Object remote = session.getAsyncRemote();
        Object socket = read(remote, "org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
        Object protocol = read(socket, "org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
        Object writer = read(protocol, "org.glassfish.tyrus.core.ProtocolHandler", "writer");
        if (writer instanceof Writer w) {
            return w;
        }
        throw new NoSuchFieldException("ProtocolHandler.writer is a " + writer.getClass().getName());
    }

    /** The real upgrade handler behind Tyrus's servlet writer (past Tyrus's proxy). */
    static Object upgradeHandler(Object servletWriter) throws ReflectiveOperationException {
        Object handler = read(servletWriter, "org.glassfish.tyrus.servlet.TyrusServletWriter", "tyrusHttpUpgradeHandler");
        for (int hops = 0; hops < 3; hops++) {
            Optional<Field> inner = DELEGATE.get(handler.getClass());
            if (inner.isEmpty()) {
                return handler;
            }
            handler = inner.get().get(handler);
            if (handler == null) {
                throw new NoSuchFieldException("Tyrus's upgrade handler proxy has no handler yet");
            }
        }
        throw new NoSuchFieldException("no " + UPGRADE_HANDLER + " behind " + servletWriter.getClass().getName());
    }

    /** The Grizzly connection under Tyrus's servlet writer (on Payara: through Catalina's and Grizzly's output buffers). */
    static Connection<?> grizzlyConnection(Object servletWriter) throws ReflectiveOperationException {
        Object handler = upgradeHandler(servletWriter);
        Object out = read(handler, UPGRADE_HANDLER, "os");
        Object catalina = read(out, "org.apache.catalina.connector.CoyoteOutputStream", "ob");
        Object grizzly = read(catalina, "org.apache.catalina.connector.OutputBuffer", "grizzlyOutputBuffer");
        Object connection = read(grizzly, "org.glassfish.grizzly.http.io.OutputBuffer", "connection");
        if (connection instanceof Connection<?> c) {
            return c;
        }
        throw new NoSuchFieldException("Grizzly's output buffer holds a " + connection.getClass().getName());
    }

    /** The named field, declared by the named class (the target's or a superclass), which must not be null. */
    static Object read(Object target, String declaringClass, String field) throws ReflectiveOperationException {
        Object value = declared(target, declaringClass, field).get(target);
        if (value == null) {
            throw new NoSuchFieldException(declaringClass + "." + field + " is null");
        }
        return value;
    }

    /** The named field of the named class in the target's hierarchy, made accessible; looked up once per field. */
    static Field declared(Object target, String declaringClass, String field) throws ReflectiveOperationException {
        Field known = FIELDS.get(declaringClass + '#' + field);
        if (known != null && known.getDeclaringClass().isInstance(target)) {
            return known;
        }
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaringClass)) {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                FIELDS.put(declaringClass + '#' + field, f);
                return f;
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + " is not a " + declaringClass);
    }
}
