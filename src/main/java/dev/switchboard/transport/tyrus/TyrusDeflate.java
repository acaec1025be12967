package dev.switchboard.transport.tyrus;

import dev.switchboard.transport.Deflate;
import dev.switchboard.transport.PerMessageDeflate;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import org.glassfish.tyrus.core.extension.ExtendedExtension;
import org.glassfish.tyrus.core.frame.Frame;

import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.DataFormatException;

/**
 * permessage-deflate (RFC 7692) for one Tyrus connection, through Tyrus's {@link ExtendedExtension} SPI: Payara's
 * Tyrus has the SPI but no deflate extension. One instance per accepted handshake ({@link TyrusAdapter#negotiate}),
 * carrying the answer it was accepted with (Tyrus asks an extension for its answer without the offer).
 *
 * <p>Inbound: a message whose first frame has RSV1 is inflated frame by frame ({@link Deflate.Inflation}, made when
 * the first compressed frame arrives) and handed on without RSV1. What it inflates to is bounded by the session's
 * message limit (the dialect's): past it the connection is closed with 1009, having inflated at most one byte more.
 * A payload that is no valid deflate stream closes it with 1007 (the frame is well formed, its data is not consistent
 * with the message: RFC 6455 section 7.4.1). Tyrus swallows what an extension throws and would go on, so the close is
 * made here, on the session ({@link #attach}, from {@code @OnOpen}); the offending frame and all after it become empty
 * pongs that Tyrus drops.</p>
 *
 * <p>Outbound: Tyrus's own text and binary messages (the standard send path, when the raw-frame path is off) of at
 * least {@code minBytes} are compressed when that makes them smaller; fragments and control frames never are. The
 * broadcast path compresses a frame once for all connections instead ({@link TyrusAdapter#writer}).</p>
 */
final class TyrusDeflate implements ExtendedExtension {

    private static final Logger LOG = Logger.getLogger(TyrusDeflate.class.getName());
    private static final byte CONTINUATION = 0x0;
    private static final byte TEXT = 0x1;
    private static final byte BINARY = 0x2;
    private static final byte PONG = 0xA;

    private final PerMessageDeflate.Accepted accepted;
    private final int minBytes;
    private final Deflate.Inflation inflation;
    private volatile Session session;
    /** Reader thread only: a compressed message is under way (its first frame had RSV1), and its type. */
    private boolean inCompressed;
    private boolean compressedText;
    private boolean failed;

    TyrusDeflate(PerMessageDeflate.Accepted accepted, int minBytes) {
        this.accepted = accepted;
        this.minBytes = minBytes;
        this.inflation = new Deflate.Inflation(accepted.clientNoContextTakeover());
    }

    /** The session whose frames these are: a frame that must close the connection closes it. */
    void attach(Session session) {
        this.session = session;
    }

    @Override
    public String getName() {
        return PerMessageDeflate.NAME;
    }

    @Override
    public List<Extension.Parameter> getParameters() {
        return accepted.response();
    }

    @Override
    public List<Extension.Parameter> onExtensionNegotiation(ExtensionContext context, List<Extension.Parameter> requested) {
        return accepted.response();
    }

    @Override
    public void onHandshakeResponse(ExtensionContext context, List<Extension.Parameter> responseParameters) {
        // client side only
    }

    @Override
    public Frame processIncoming(ExtensionContext context, Frame frame) {
        if (failed) {
            return emptyPong();
        }
        byte opcode = frame.getOpcode();
        if (frame.isControlFrame()) {
            return frame; // RSV1 on a control frame stays set: Tyrus refuses it (1002)
        }
        boolean starts = opcode == TEXT || opcode == BINARY;
        if (starts) {
            inCompressed = frame.isRsv1();
            compressedText = opcode == TEXT;
        } else if (opcode != CONTINUATION || frame.isRsv1()) {
            return frame; // RSV1 on a continuation, or an unknown opcode: Tyrus refuses it
        }
        if (!inCompressed) {
            return frame;
        }
        boolean last = frame.isFin();
        Session s = session;
        long limit = s == null ? Integer.MAX_VALUE
                : compressedText ? s.getMaxTextMessageBufferSize() : s.getMaxBinaryMessageBufferSize();
        try {
            byte[] inflated = inflation.inflate(frame.getPayloadData(), last, limit);
            if (last) {
                inCompressed = false;
            }
            return Frame.builder(frame).rsv1(false).payloadData(inflated).payloadLength(inflated.length).build();
        } catch (Deflate.TooBig e) {
            return refuse(CloseReason.CloseCodes.TOO_BIG, e.getMessage(), frame);
        } catch (DataFormatException e) {
            return refuse(CloseReason.CloseCodes.NOT_CONSISTENT, "Invalid compressed data: " + e.getMessage(), frame);
        }
    }

    /** Closes the connection with {@code code}; the frame (and all after it) becomes an empty pong. */
    private Frame refuse(CloseReason.CloseCode code, String reason, Frame frame) {
        failed = true;
        inCompressed = false;
        Session s = session;
        String id = s == null ? "?" : s.getId();
        LOG.info(() -> "ws.frame.refused code=" + code.getCode() + " reason=\"" + reason + "\" session=" + id);
        if (s == null) {
            return frame; // not attached: Tyrus refuses the RSV1 frame itself (1002)
        }
        try {
            s.close(new CloseReason(code, reason.length() > 120 ? reason.substring(0, 120) : reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ws.frame.refused close failed session=" + id, e);
        }
        return emptyPong();
    }

    private static Frame emptyPong() {
        return Frame.builder().fin(true).opcode(PONG).payloadData(new byte[0]).payloadLength(0).build();
    }

    @Override
    public Frame processOutgoing(ExtensionContext context, Frame frame) {
        byte opcode = frame.getOpcode();
        if ((opcode != TEXT && opcode != BINARY) || !frame.isFin() || frame.isRsv1()
                || frame.getPayloadLength() < minBytes) {
            return frame;
        }
        byte[] data = frame.getPayloadData();
        byte[] compressed = Deflate.compress(data);
        if (compressed.length >= data.length) {
            return frame;
        }
        return Frame.builder(frame).rsv1(true).payloadData(compressed).payloadLength(compressed.length).build();
    }

    @Override
    public void destroy(ExtensionContext context) {
        inflation.release();
    }
}
