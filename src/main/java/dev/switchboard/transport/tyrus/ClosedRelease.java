package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of a closed connection's Tyrus state, which Payara would otherwise keep for an unbounded time: Catalina's
 * request ({@code PwcCoyoteRequest}) keeps its {@code httpUpgradeHandler} after the upgraded connection closed (its
 * {@code recycle()} resets the upgrade flag, not the handler), and Grizzly keeps that request, as a note on its own
 * request object, in each worker thread's object cache (16 per thread, {@code ThreadCache}) until it serves another
 * upgrade. Through the handler hang the connection's whole Tyrus side: the session with its text buffer (as large as
 * the largest text message the connection got), the frame parser's masker buffer and read buffers (the same), and
 * the endpoint. With 32 workers that is up to 512 closed connections, each up to a few times its dialect's message
 * limit: after the fault suite's fuzzing (messages up to 10 MB on {@code /api/ws}) 225 closed connections held 60 MB of
 * {@code byte[]}.
 *
 * <p>So every opened connection is noted here, and {@link #sweep} (every few seconds, off the socket threads) cuts
 * the handler's links to that state once the handler has closed ({@code closed}, set after Tyrus finished the close;
 * the handler reads {@code connection} only while open, and {@code buf} starts null and is made when needed): the
 * handler's {@code connection} and {@code buf}, and this application's own {@link TyrusInput}'s session; at the
 * sweep after the one that first saw it closed, so that no container thread is still inside its read loop. Only
 * the handler is touched, which Tyrus makes anew for every upgrade and which no later connection uses, never the
 * cached request (which Grizzly may have handed to a new connection meanwhile). What is left in the cache is
 * Grizzly's and Catalina's recycled objects, a few hundred bytes each. Everything is reached
 * through private fields ({@link TyrusInternals}); when a version does not have what this expects, nothing is
 * noted and nothing changes (logged once).</p>
 */
final class ClosedRelease {

    private static final Logger LOG = Logger.getLogger(ClosedRelease.class.getName());
    /** A connection whose handler has not closed within this many sweeps is forgotten without being released. */
    private static final int MAX_SWEEPS_CLOSING = 60;
    private static final Set<Open> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    /** An open connection: its session, its upgrade handler, and the sweeps seen since the session closed. */
    private static final class Open {
        final Session session;
        final Object handler;
        int sweepsClosing;
        /** The handler was seen closed by an earlier sweep: released at the next one. */
        boolean closedSeen;

        Open(Session session, Object handler) {
            this.session = session;
            this.handler = handler;
        }
    }

    private ClosedRelease() {
    }

    /** Call it from {@code @OnOpen}, after {@link TyrusInput#install}. */
    static void track(Session session) {
        if (unavailable) {
            return;
        }
        try {
            Object handler = TyrusInternals.upgradeHandler(TyrusInternals.writerOf(session));
            for (String field : new String[] {"closed", "connection", "buf", "is"}) {
                TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, field);
            }
            OPEN.add(new Open(session, handler));
            if (!announced) {
                announced = true;
                LOG.info("tyrus.release-closed active");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.release-closed unavailable, closed connections stay in the container's request cache: " + e);
        }
    }

    /** Releases every noted connection whose handler has closed; runs on a scheduler, never on a socket thread. */
    static void sweep() {
        for (Open o : OPEN) {
            if (o.session.isOpen()) {
                continue;
            }
            try {
                Field closed = TyrusInternals.declared(o.handler, TyrusInternals.UPGRADE_HANDLER, "closed");
                if (closed.getBoolean(o.handler)) {
                    // one sweep later, not at once: a container thread that was inside the handler's read loop
                    // when it closed (it checks closed only between reads) has long left it by then
                    if (o.closedSeen) {
                        release(o.handler);
                        OPEN.remove(o);
                    } else {
                        o.closedSeen = true;
                    }
                } else if (++o.sweepsClosing > MAX_SWEEPS_CLOSING) {
                    LOG.fine(() -> "tyrus.release-closed gave up on a handler that never closed session=" + o.session.getId());
                    OPEN.remove(o);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                OPEN.remove(o);
                LOG.log(Level.FINE, "tyrus.release-closed failed session=" + o.session.getId(), e);
            }
        }
    }

    private static void release(Object handler) throws ReflectiveOperationException {
        if (TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "is").get(handler) instanceof TyrusInput input) {
            input.release();
        }
        TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "buf").set(handler, null);
        TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "connection").set(handler, null);
    }
}
