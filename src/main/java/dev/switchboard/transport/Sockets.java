package dev.switchboard.transport;

import dev.switchboard.transport.tyrus.TyrusAdapter;
import dev.switchboard.transport.undertow.UndertowAdapter;

import dev.switchboard.hub.entity.Transport;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Makes the hub's transport for a WebSocket session, with the configured write timeout, through the container
 * adapter chosen once at start-up ({@link TyrusAdapter} on Payara, else {@link ContainerAdapter#STANDARD}).
 */
@ApplicationScoped
public class Sockets {

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "hub.write-timeout-seconds", defaultValue = "10")
    long writeTimeoutSeconds;

    /**
     * Frames that queued behind a connection's write in flight (a slow reader, a burst) go out together in one write
     * of up to this many bytes, where the container adapter can write batches (Payara); 0 = one frame per write.
     */
    @Inject
    @ConfigProperty(name = "hub.write-coalesce-bytes", defaultValue = "65536")
    int coalesceBytes;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.tyrus.skip-idle-timer", defaultValue = "true")
    boolean skipTyrusIdleTimer;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.tyrus.raw-frames", defaultValue = "true")
    boolean rawFrames;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.grizzly.direct-writes", defaultValue = "true")
    boolean directWrites;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.tyrus.fast-unmask", defaultValue = "true")
    boolean fastUnmask;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.tyrus.release-handshake", defaultValue = "true")
    boolean releaseHandshake;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.grizzly.drop-byte-probes", defaultValue = "true")
    boolean dropByteProbes;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.tyrus.release-closed", defaultValue = "true")
    boolean releaseClosed;

    /** Payara: see {@link TyrusAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.grizzly.drop-late-reads", defaultValue = "true")
    boolean dropLateReads;

    /** WildFly: see {@link UndertowAdapter}. */
    @Inject
    @ConfigProperty(name = "switchboard.undertow.shared-frames", defaultValue = "true")
    boolean undertowSharedFrames;

    /** permessage-deflate (RFC 7692): see {@link PerMessageDeflate} and README "Configuration". */
    @Inject
    @ConfigProperty(name = "websocket.compression.enabled", defaultValue = "true")
    boolean compressionEnabled;

    /** Messages whose UTF-8 text is shorter than this go out uncompressed (valid under the extension, per message). */
    @Inject
    @ConfigProperty(name = "websocket.compression.min-bytes", defaultValue = "1024")
    int compressionMinBytes;

    /** How often the adapter lets go of what closed connections left behind ({@link ContainerAdapter#sweep}). */
    private static final long SWEEP_SECONDS = 5;

    private ContainerAdapter adapter = ContainerAdapter.STANDARD;

    @PostConstruct
    void chooseAdapter() {
        adapter = TyrusAdapter.ifPresent(Sockets.class.getClassLoader(), new TyrusAdapter.Switches(fastUnmask,
                        skipTyrusIdleTimer, rawFrames, directWrites, releaseHandshake, dropByteProbes, releaseClosed, dropLateReads),
                        compression())
                .or(() -> UndertowAdapter.ifPresent(Sockets.class.getClassLoader(), undertowSharedFrames))
                .orElse(ContainerAdapter.STANDARD);
        if (adapter != ContainerAdapter.STANDARD) {
            scheduler.scheduleWithFixedDelay(adapter::sweep, SWEEP_SECONDS, SWEEP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The container adapter in use. */
    public ContainerAdapter adapter() {
        return adapter;
    }

    private PerMessageDeflate.Settings compression() {
        return compressionEnabled ? new PerMessageDeflate.Settings(true, Math.max(0, compressionMinBytes))
                : PerMessageDeflate.Settings.OFF;
    }

    /**
     * The WebSocket extensions to accept from a handshake's offer, or empty for the container's own negotiation
     * (WildFly's Undertow, where its subsystem enables permessage-deflate). With {@code websocket.compression.enabled=false}
     * none, on every server.
     */
    public Optional<List<Extension>> negotiatedExtensions(List<Extension> requested) {
        if (!compressionEnabled) {
            return Optional.of(List.of());
        }
        return adapter.negotiatedExtensions(requested);
    }

    /** Runs work that must not hold a socket's reader thread (database queries, long answers). */
    public void background(Runnable work) {
        executor.execute(work);
    }

    /** The hub's transport for a session, made in its endpoint's {@code @OnOpen}. */
    public Transport transport(Session session) {
        return transport(session, writeTimeoutSeconds);
    }

    /** With a dialect's own write timeout (vault's spec says 30 s). Call it from {@code @OnOpen}. */
    public Transport transport(Session session, long writeTimeoutSeconds) {
        adapter.opened(session);
        return new SessionTransport(session, writeTimeoutSeconds * 1000, executor, coalesceBytes,
                adapter.writer(session))
                .withClientAddress(adapter.clientAddress(session));
    }

    /** Call it first in every endpoint's {@code @OnClose}, whatever the endpoint did with the session. */
    public void closed(Session session) {
        adapter.closed(session);
    }

    /** Runs work once after a delay, off any socket thread (deadlines such as vault's authentication timeout). */
    public java.util.concurrent.ScheduledFuture<?> later(long delayMillis, Runnable work) {
        return scheduler.schedule(work, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
