package dev.switchboard.peers.entity;

import dev.switchboard.common.JsonText;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;

import java.util.List;

/** Lists of strings kept as JSON array text in one column. */
final class JsonLists {

    private JsonLists() {
    }

    static String write(List<String> values) {
        JsonArrayBuilder a = JsonText.array();
        values.forEach(a::add);
        return a.build().toString();
    }

    static List<String> read(String json) {
        return ((JsonArray) JsonText.parse(json)).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
