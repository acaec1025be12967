package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.common.JsonText;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import java.util.List;

/** A {@link Member} as the JSON object the cluster carries (in heartbeats and in the engine's member records). */
final class MemberCodec {

    private MemberCodec() {
    }

    static JsonObjectBuilder json(Member m) {
        var caps = JsonText.array();
        m.capabilities().forEach(caps::add);
        return JsonText.object().add("id", m.id()).add("name", m.name()).add("address", m.address())
                .add("port", m.port()).add("capabilities", caps).add("version", m.version());
    }

    static Member member(JsonObject o) {
        List<String> caps = o.containsKey("capabilities")
                ? o.getJsonArray("capabilities").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()
                : List.of();
        return new Member(o.getString("id"), o.getString("name", o.getString("id")), o.getString("address", ""),
                o.getInt("port", 0), caps, o.getString("version", ""));
    }
}
