package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ConnectionProbe;
import org.glassfish.grizzly.monitoring.MonitoringConfig;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes Payara's byte-counting probe off an upgraded connection. Payara's web container puts on every connection of
 * its HTTP listeners a Grizzly connection probe (an anonymous class of {@code com.sun.enterprise.web.VirtualServer})
 * that hands the size of every read and every write to its request monitoring, the virtual server's "bytes
 * received/sent", whether or not monitoring is on. Grizzly calls it for every frame, and in a 1,000-subscriber fan-out
 * that was a tenth of the server's samples. A WebSocket connection's bytes are counted by the application instead
 * ({@code /metrics}: frames and bytes in and out per dialect); HTTP requests keep the probe, since only connections
 * that reach {@code @OnOpen} lose it.
 * <p>
 * Only that probe is removed (any other, such as one an operator's monitoring added, stays); on another container or
 * version nothing happens (logged once).
 */
final class ByteProbes {

    private static final Logger LOG = Logger.getLogger(ByteProbes.class.getName());
    private static final String PAYARA_PROBE = "com.sun.enterprise.web.VirtualServer$";
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    private ByteProbes() {
    }

    /** Call it from {@code @OnOpen}. */
    static void drop(Session session) {
        if (unavailable) {
            return;
        }
        try {
            Connection<?> connection = TyrusInternals.grizzlyConnection(TyrusInternals.writerOf(session));
            MonitoringConfig<ConnectionProbe> config = connection.getMonitoringConfig();
            String removed = null;
            for (ConnectionProbe probe : config.getProbes()) {
                if (probe.getClass().getName().startsWith(PAYARA_PROBE) && config.removeProbes(probe)) {
                    removed = probe.getClass().getName();
                }
            }
            if (!announced) {
                announced = true;
                String what = removed;
                LOG.info(() -> what != null ? "grizzly.drop-byte-probes active removed=" + what
                        : "grizzly.drop-byte-probes found no probe of Payara's on the connection");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "grizzly.drop-byte-probes unavailable, connections keep Payara's byte probe: " + e);
        }
    }
}
