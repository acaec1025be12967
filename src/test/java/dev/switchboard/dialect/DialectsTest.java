package dev.switchboard.dialect;

import dev.switchboard.dialect.control.ControlDialect;
import dev.switchboard.dialect.control.ControlEndpoint;
import dev.switchboard.dialect.node.NodeDialect;
import dev.switchboard.dialect.node.NodeEndpoint;
import dev.switchboard.dialect.rtc.RtcDialect;
import dev.switchboard.dialect.rtc.RtcEndpoint;
import dev.switchboard.dialect.vault.VaultDialect;
import dev.switchboard.dialect.vault.VaultEndpoint;
import dev.switchboard.dialect.workspace.WorkspaceDialect;
import dev.switchboard.dialect.workspace.WorkspaceEndpoint;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialectsTest {

    private static final List<Dialect> ALL = List.of(new NodeDialect(), new VaultDialect(), new RtcDialect(),
            new ControlDialect(), new WorkspaceDialect());

    @Test
    void eachEndpointIsServedAtItsDescriptorsPath() {
        Map<Class<?>, String> endpoints = Map.of(NodeEndpoint.class, NodeDialect.PATH, VaultEndpoint.class, VaultDialect.PATH,
                RtcEndpoint.class, RtcDialect.PATH, ControlEndpoint.class, ControlDialect.PATH,
                WorkspaceEndpoint.class, WorkspaceDialect.PATH);
        endpoints.forEach((type, path) -> assertEquals(path, type.getAnnotation(ServerEndpoint.class).value(), type.getName()));
        assertEquals(List.of("/api/ws", "/ws", "/rtc/ws", "/control/ws", "/workspace/ws"), ALL.stream().map(Dialect::path).toList(),
                "the specs' paths");
    }

    @Test
    void onlyTheExactRawPathNamesADialect() {
        Map<String, Dialect> byPath = Dialects.index(ALL);
        assertSame(ALL.get(0), byPath.get("/api/ws"));
        for (String variant : List.of("/api/ws;x=1", "/api/w%73", "/%61pi/ws", "/api/ws/", "//api/ws", "/./api/ws",
                "/x/../api/ws", "/API/WS", "/Api/ws", "/rtc/ws;x=1", "/%72tc/ws", "/ws/", "/WS")) {
            assertNull(byPath.get(variant), variant);
        }
    }

    @Test
    void twoDialectsCannotShareAPath() {
        assertThrows(IllegalStateException.class, () -> Dialects.index(List.of(new NodeDialect(), new NodeDialect())));
    }

    @Test
    void theConfiguredPoliciesAndLimits() {
        assertEquals(Dialect.Auth.OPTIONAL, new WorkspaceDialect().auth());
        assertEquals(Dialect.Auth.OPTIONAL, new ControlDialect().auth());
        assertEquals(Dialect.Auth.REQUIRED, new NodeDialect().auth());
        assertEquals(Dialect.Auth.IN_BAND, new VaultDialect().auth());
        assertTrue(new VaultDialect().limits().refusedInBand());
    }
}
