package dev.switchboard.transport;

import jakarta.websocket.Extension;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's answer to permessage-deflate offers (RFC 7692 section 7.1). */
class PerMessageDeflateTest {

    private record Ext(String getName, List<Extension.Parameter> getParameters) implements Extension {
    }

    /** An offer as a header value would carry it: {@code name; a; b=1}. */
    private static Extension offer(String header) {
        String[] parts = header.split(";");
        List<Extension.Parameter> params = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            params.add(new PerMessageDeflate.Parameter(kv[0], kv.length > 1 ? kv[1] : null));
        }
        return new Ext(parts[0].trim(), params);
    }

    private static Optional<String> answer(String... offers) {
        List<Extension> list = new ArrayList<>();
        for (String o : offers) {
            list.add(offer(o));
        }
        return PerMessageDeflate.negotiate(list).map(PerMessageDeflate.Accepted::header);
    }

    @Test
    void aBrowsersOfferIsAnsweredWithServerNoContextTakeover() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                answer("permessage-deflate; client_max_window_bits"));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"), answer("permessage-deflate"));
    }

    @Test
    void noOfferOrAnotherExtensionIsNoExtension() {
        assertEquals(Optional.empty(), answer());
        assertEquals(Optional.empty(), answer("x-webkit-deflate-frame"));
        assertEquals(Optional.empty(), PerMessageDeflate.negotiate(null));
    }

    @Test
    void clientNoContextTakeoverIsAlwaysAnswered() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                answer("permessage-deflate; client_no_context_takeover"));
        assertTrue(PerMessageDeflate.negotiate(List.of(offer("permessage-deflate; client_no_context_takeover")))
                .orElseThrow().clientNoContextTakeover());
        assertTrue(PerMessageDeflate.negotiate(List.of(offer("permessage-deflate"))).orElseThrow().clientNoContextTakeover(),
                "not offered, still answered: no inflater is kept between a client's messages");
    }

    @Test
    void serverMaxWindowBitsOnlyFifteenIsHonouredAndAnswered() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15"),
                answer("permessage-deflate; server_max_window_bits=15"));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15"),
                answer("permessage-deflate; server_max_window_bits=\"15\""));
        for (String bits : new String[] {"8", "10", "14"}) {
            assertEquals(Optional.empty(), answer("permessage-deflate; server_max_window_bits=" + bits),
                    "java.util.zip's Deflater cannot keep to " + bits + " bits");
        }
    }

    @Test
    void theFirstAcceptableOfferWins() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                answer("permessage-deflate; server_max_window_bits=10", "permessage-deflate; client_max_window_bits"));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15"),
                answer("permessage-deflate; server_max_window_bits=15", "permessage-deflate"));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                answer("permessage-deflate; server_max_window_bits=9", "permessage-deflate; unknown", "permessage-deflate"));
    }

    @Test
    void clientMaxWindowBitsIsAHintNeverAnswered() {
        for (String v : new String[] {"", "=8", "=15", "=\"12\""}) {
            assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                    answer("permessage-deflate; client_max_window_bits" + v), v);
        }
    }

    @Test
    void malformedOffersAreDeclined() {
        for (String bad : new String[] {
                "permessage-deflate; server_max_window_bits", // a value is required
                "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; server_max_window_bits=015",
                "permessage-deflate; client_max_window_bits=7",
                "permessage-deflate; client_max_window_bits=16",
                "permessage-deflate; client_max_window_bits=0x0f",
                "permessage-deflate; client_no_context_takeover=1",
                "permessage-deflate; server_no_context_takeover=true",
                "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; unknown_parameter",
        }) {
            assertEquals(Optional.empty(), answer(bad), bad);
        }
    }

    @Test
    void aClientThatAsksForServerNoContextTakeoverGetsIt() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                answer("permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
    }
}
