package dev.switchboard.service.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerConfigTest {

    private static DockerConfig.Parsed parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return DockerConfig.parse(reader.readObject());
        }
    }

    @Test
    void everyAcceptedFieldIsRead() {
        DockerConfig.Parsed p = parse("{\"image\":\"registry.local:5000/team/tool:1.2\",\"command\":[\"run\",\"a b\",\"$(x)\"],"
                + "\"entrypoint\":[\"/bin/tool\"],\"env\":{\"A\":\"1\",\"B\":\"two words\"},\"working_dir\":\"/data\","
                + "\"user\":\"1000:1000\",\"capabilities\":[\"gpu\"],\"privileged\":true,\"binds\":[\"/:/host\"]}");
        assertTrue(p.ok(), p.faults().toString());
        DockerConfig c = p.config();
        assertEquals("registry.local:5000/team/tool:1.2", c.image());
        assertEquals(List.of("run", "a b", "$(x)"), c.command(), "arguments as given: no shell ever sees them");
        assertEquals(List.of("/bin/tool"), c.entrypoint());
        assertEquals(List.of("A=1", "B=two words"), c.envList());
        assertEquals("/data", c.workingDir());
        assertEquals("1000:1000", c.user());
    }

    @Test
    void onlyTheImageIsRequired() {
        DockerConfig c = parse("{\"image\":\"alpine\"}").config();
        assertEquals(List.of(), c.command());
        assertEquals(List.of(), c.entrypoint());
        assertEquals(Map.of(), c.env());
        assertEquals("", c.workingDir());
        assertEquals("", c.user());
    }

    @Test
    void faultsNameTheirField() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{}", "config.image"),
                Map.entry("{\"image\":5}", "config.image"),
                Map.entry("{\"image\":\" \"}", "config.image"),
                Map.entry("{\"image\":\"a\\nb\"}", "config.image"),
                Map.entry("{\"image\":\"a\",\"command\":\"sh -c 'x'\"}", "config.command"),
                Map.entry("{\"image\":\"a\",\"command\":[null]}", "config.command"),
                Map.entry("{\"image\":\"a\",\"command\":[\"a\\u0000b\"]}", "config.command"),
                Map.entry("{\"image\":\"a\",\"entrypoint\":\"x\"}", "config.entrypoint"),
                Map.entry("{\"image\":\"a\",\"env\":\"A=1\"}", "config.env"),
                Map.entry("{\"image\":\"a\",\"env\":{\"A\":true}}", "config.env.A"),
                Map.entry("{\"image\":\"a\",\"env\":{\"\":\"x\"}}", "config.env"),
                Map.entry("{\"image\":\"a\",\"env\":{\"A=B\":\"x\"}}", "config.env"),
                Map.entry("{\"image\":\"a\",\"working_dir\":\"tmp\"}", "config.working_dir"),
                Map.entry("{\"image\":\"a\",\"working_dir\":[]}", "config.working_dir"),
                Map.entry("{\"image\":\"a\",\"user\":1000}", "config.user"));
        for (var e : cases.entrySet()) {
            DockerConfig.Parsed p = parse(e.getKey());
            assertFalse(p.ok(), e.getKey());
            assertTrue(p.faults().containsKey(e.getValue()), e.getKey() + " → " + p.faults());
        }
    }

    @Test
    void tooManyArgumentsAreRefused() {
        var many = Json.createArrayBuilder();
        for (int i = 0; i < 257; i++) {
            many.add("x");
        }
        JsonObject config = Json.createObjectBuilder().add("image", "a").add("command", many).build();
        assertTrue(DockerConfig.parse(config).faults().containsKey("config.command"));
    }
}
