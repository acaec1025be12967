package dev.switchboard.service.control;

import dev.switchboard.cluster.control.Inquiries;
import dev.switchboard.service.entity.ServiceStatus;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order a search's answers reach the client in, and what travels between instances. */
class ServiceSearchTest {

    /** What a client would see, one line per frame. */
    static final class Recorded implements ServiceSearch.Sink {
        final List<String> frames = new ArrayList<>();
        String error;

        @Override
        public void partial(String peerId, String peerName, List<ServiceView> services) {
            frames.add(peerId + ":" + peerName + ":" + services.stream().map(ServiceView::name).toList());
        }

        @Override
        public void complete(String error) {
            frames.add("complete");
            this.error = error;
        }
    }

    static ServiceView view(long id, String name) {
        return new ServiceView(id, name, "d " + name, ServiceType.DOCKER, ServiceStatus.ACTIVE,
                "{\"env\":{\"DB_PASSWORD\":\"hunter2\"}}", "{\"gpu\":true}", "[{\"interface_type\":\"STDIN\",\"path\":\"\",\"mount_function\":\"\"}]",
                new BigDecimal("0.001"), "PER_EXECUTION", 0, "EXECUTION", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000));
    }

    private static JsonObject answer(String name, ServiceView... services) {
        return ServiceSearch.encode(name, List.of(services), 1 << 20);
    }

    @Test
    void thisNodesAnswerComesFirstEvenWhenAPeerAnswersSoonerAndTheEndComesLast() {
        Recorded sink = new Recorded();
        var stream = new ServiceSearch.Stream(sink, 100, 2000, Map.of(), false);
        stream.answered("peer-b", answer("b", view(7, "resizer")));
        stream.ended(Map.of());
        assertEquals(List.of(), sink.frames, "held until this node's answer is out");
        stream.local("self", "me", List.of(view(1, "processor")));
        assertEquals(List.of("self:me:[processor]", "peer-b:b:[resizer]", "complete"), sink.frames);
        assertEquals("", sink.error);
        // nothing after the end
        stream.answered("peer-c", answer("c", view(9, "late")));
        assertEquals(3, sink.frames.size());
    }

    @Test
    void theEndNamesThePeersThatDidNotAnswerAndWhy() {
        Recorded sink = new Recorded();
        var notConnected = new LinkedHashMap<String, String>();
        notConnected.put("peer-x", "not connected");
        var stream = new ServiceSearch.Stream(sink, 100, 1500, notConnected, true);
        var missing = new LinkedHashMap<String, String>();
        missing.put("peer-b", Inquiries.TIMEOUT);
        missing.put("peer-c", Inquiries.LEFT);
        stream.ended(missing);
        assertEquals(List.of("complete"), sink.frames, "this node was left out: the end goes at once");
        assertTrue(sink.error.contains("peer-x (not connected)"), sink.error);
        assertTrue(sink.error.contains("peer-b (timed out after 1500 ms)"), sink.error);
        assertTrue(sink.error.contains("peer-c (left the cluster)"), sink.error);
    }

    @Test
    void theEndNamesABoundedNumberOfPeers() {
        Recorded sink = new Recorded();
        var notConnected = new LinkedHashMap<String, String>();
        for (int i = 0; i < 1000; i++) {
            notConnected.put("p" + i + "x".repeat(300), "not connected");
        }
        new ServiceSearch.Stream(sink, 100, 2000, notConnected, true).ended(Map.of());
        assertTrue(sink.error.endsWith("and " + (1000 - ServiceSearch.MAX_NAMED) + " more"), sink.error);
        assertTrue(sink.error.length() < 4000, sink.error.length() + " characters");
    }

    @Test
    void theWholeSearchIsCutAtTheTotalBoundAndSaysSo() {
        Recorded sink = new Recorded();
        var stream = new ServiceSearch.Stream(sink, 3, 2000, Map.of(), false);
        stream.local("self", "me", List.of(view(1, "a"), view(2, "b")));
        stream.answered("peer-b", answer("b", view(3, "c"), view(4, "d")));
        stream.answered("peer-c", answer("c", view(5, "e")));
        stream.ended(Map.of());
        assertEquals(List.of("self:me:[a, b]", "peer-b:b:[c]", "peer-c:c:[]", "complete"), sink.frames);
        assertEquals("Results truncated", sink.error);
    }

    @Test
    void aFailedLocalSearchStillLetsThePeersAnswerAndIsNamed() {
        Recorded sink = new Recorded();
        var stream = new ServiceSearch.Stream(sink, 100, 2000, Map.of(), false);
        stream.answered("peer-b", answer("b", view(3, "c")));
        stream.localFailed();
        stream.ended(Map.of());
        assertEquals(List.of("peer-b:b:[c]", "complete"), sink.frames);
        assertEquals("This node's search failed", sink.error);
    }

    @Test
    void anAnswerBetweenInstancesCarriesNoConfigAndReadsBackWhole() {
        JsonObject a = answer("node-b", view(42, "image-processor"));
        assertFalse(a.toString().contains("hunter2"), a.toString());
        assertFalse(a.toString().contains("config"), a.toString());
        List<ServiceView> back = ServiceSearch.decode(a);
        assertEquals(1, back.size());
        ServiceView s = back.get(0);
        assertEquals(42, s.id());
        assertEquals("image-processor", s.name());
        assertEquals(ServiceType.DOCKER, s.type());
        assertEquals(0, new BigDecimal("0.001").compareTo(s.pricingAmount()));
        assertEquals("{\"gpu\":true}", s.capabilitiesJson());
        assertEquals("{}", s.configJson());
        assertEquals("node-b", ServiceSearch.peerName(a));
    }

    @Test
    void aPeersAnswerIsCutAtItsByteBound() {
        JsonObject a = ServiceSearch.encode("b", List.of(view(1, "a"), view(2, "b"), view(3, "c")), 600);
        assertTrue(a.getBoolean("cut"));
        assertTrue(ServiceSearch.decode(a).size() < 3);
        Recorded sink = new Recorded();
        var stream = new ServiceSearch.Stream(sink, 100, 2000, Map.of(), true);
        stream.answered("peer-b", a);
        stream.ended(Map.of());
        assertEquals("Results truncated", sink.error);
    }

    @Test
    void malformedEntriesOfAnAnswerAreSkipped() {
        JsonObject a = jakarta.json.Json.createObjectBuilder().add("name", "b")
                .add("services", jakarta.json.Json.createArrayBuilder().add(42).add(jakarta.json.Json.createObjectBuilder().add("id", "x")))
                .build();
        assertEquals(0, ServiceSearch.decode(a).size());
        assertEquals(Set.of(), Set.copyOf(ServiceSearch.decode(jakarta.json.JsonValue.EMPTY_JSON_OBJECT)));
    }
}
