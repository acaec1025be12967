package dev.switchboard.faults;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Makes fuzz frames from a dialect's seed messages: a mutation class (what was changed), what the server must do
 * (answer with its error frame, close with a code, or anything that is not a fault) and the bytes to send.
 */
final class Mutator {

    /** What the frame must get. */
    enum Expect { ERROR, ANY, CLOSE_1002, CLOSE_1007, CLOSE_1009 }

    /** One thing to send: {@code frames} are whole WebSocket frames (several when fragmented). */
    record Fuzz(String kind, Expect expect, List<byte[]> frames, int bytes) {
    }

    private static final String[] WRONG_TYPES = {"\"str\"", "0", "-1", "3.5", "true", "false", "null", "[]",
            "[1,\"a\",null]", "{}", "{\"a\":{}}", "\"\""};
    private static final String[] NUMBERS = {"1e999", "-1e999", "-0", "-0.0", "1e-999", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "0.0000000000000000000001", "1E400",
            "18446744073709551616", "4.9e-324", "2147483648", "-2147483649", "9007199254740993"};
    private static final String[] UNICODE = {"\"\\ud800\"", "\"\\udfff\"", "\"\\udc00\\ud800\"", "\"a\\ud800b\"",
            "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ufeff\"", "\"\\uffff\"", "\"\\ufffe\"", "\"\uD83D\uDE00\"",
            "\"\\ud83d\\ude00\"", "\"e\u0301\u0301\u0301\"", "\"\u202eevil\"", "\"\\u2028\\u2029\"", "\"\uD835\uDD4F\"",
            "\"\\\\\"", "\"\\\"'<script>alert(1)</script>\"", "\"\\u001b[31m\"", "\"\u0000\"", "\"\\/\\b\\f\\n\\r\\t\"",
            "\"\uFFFD\"", "\"日本語テキスト\""};
    private static final String[] NON_OBJECTS = {"1", "-0", "1e999", "\"text\"", "null", "true", "false", "[]",
            "[{\"type\":\"ping\"}]", "[[[]]]", "\"{\\\"type\\\":\\\"ping\\\"}\""};
    private static final String GARBLE = "{}[]\",:\\0x- ";
    private static final String[] CASE = {"upper", "lower", "capital", "swap"};

    private final Target target;
    private final Random random;
    private final List<JsonObject> seeds = new ArrayList<>();
    private final List<String> otherTypes = new ArrayList<>();

    Mutator(Target target, long seed) {
        this.target = target;
        this.random = new Random(seed);
        for (String s : target.seeds()) {
            try (var r = Json.createReader(new StringReader(s))) {
                seeds.add(r.readObject());
            }
        }
        for (String t : Target.ALL_TYPES) {
            if (!target.types().contains(t)) {
                otherTypes.add(t);
            }
        }
    }

    /** A valid message of the dialect, as its spec shows it. */
    String valid() {
        return write(seeds.get(random.nextInt(seeds.size())), null, null);
    }

    Fuzz next() {
        int r = random.nextInt(1000);
        Fuzz fuzz;
        if (r < 120) {
            fuzz = text("valid", Expect.ANY, valid());
        } else if (r < 330) {
            fuzz = typeMutation();
        } else if (r < 650) {
            fuzz = fieldMutation();
        } else if (r < 760) {
            fuzz = jsonMutation();
        } else if (r < 820) {
            fuzz = binary();
        } else if (r < 990) {
            // one of the above, in fragments
            Fuzz inner = r < 900 ? text("valid", Expect.ANY, valid()) : (r < 950 ? typeMutation() : fieldMutation());
            return fragment(inner);
        } else if (r < 995) {
            fuzz = invalidUtf8();
        } else if (r < 999) {
            fuzz = protocolViolation();
        } else {
            fuzz = oversize();
        }
        return fuzz;
    }

    private Fuzz typeMutation() {
        JsonObject seed = seeds.get(random.nextInt(seeds.size()));
        String type = seed.containsKey("type") && seed.get("type") instanceof JsonString s ? s.getString() : "ping";
        return switch (random.nextInt(6)) {
            case 0 -> text("type:unknown", Expect.ERROR, write(seed, "type", quote(randomWord())));
            case 1 -> {
                String other = otherTypes.get(random.nextInt(otherTypes.size()));
                yield text("type:other-dialect", unknownType(other), write(seed, "type", quote(other)));
            }
            case 2 -> {
                String changed = changeCase(type);
                yield text("type:case", target.types().contains(changed) || changed.equals(type) ? Expect.ANY : unknownType(changed),
                        write(seed, "type", quote(changed)));
            }
            case 3 -> text("type:empty", Expect.ERROR, write(seed, "type", "\"\""));
            case 4 -> text("type:missing", Expect.ERROR, write(seed, "type", null));
            default -> text("type:wrong-json-type", Expect.ERROR, write(seed, "type", WRONG_TYPES[random.nextInt(WRONG_TYPES.length - 1)]));
        };
    }

    /** What a type the dialect does not know gets: an error, except rtc's X- types, which go to application code
     * and get no answer when no observer handles them (README, rtc protocol notes). */
    private Expect unknownType(String type) {
        return target.name().equals("rtc") && type.startsWith("X-") ? Expect.ANY : Expect.ERROR;
    }

    private Fuzz fieldMutation() {
        JsonObject seed = seeds.get(random.nextInt(seeds.size()));
        List<String> paths = new ArrayList<>();
        paths(seed, "", paths);
        paths.remove("type");
        if (paths.isEmpty()) {
            paths.add("data");
        }
        String path = paths.get(random.nextInt(paths.size()));
        return switch (random.nextInt(8)) {
            case 0 -> text("field:removed", Expect.ANY, write(seed, path, null));
            case 1 -> text("field:duplicated", Expect.ANY, duplicate(seed, path));
            case 2 -> text("field:wrong-type", Expect.ANY, write(seed, path, WRONG_TYPES[random.nextInt(WRONG_TYPES.length)]));
            case 3 -> text("field:huge-number", Expect.ANY, write(seed, path,
                    random.nextInt(10) == 0 ? "9".repeat(5000) : NUMBERS[random.nextInt(NUMBERS.length)]));
            case 4 -> text("field:deep-nesting", Expect.ANY, write(seed, path, deep()));
            case 5 -> text("field:long-string", Expect.ANY, write(seed, path, quote("x".repeat(longLength()))));
            case 6 -> text("field:unicode", Expect.ANY, write(seed, path, UNICODE[random.nextInt(UNICODE.length)]));
            default -> text("field:added", Expect.ANY, write(seed, "zz" + randomWord(), WRONG_TYPES[random.nextInt(WRONG_TYPES.length)]));
        };
    }

    private String deep() {
        int depth = switch (random.nextInt(4)) {
            case 0 -> 100;
            case 1 -> 1000;
            case 2 -> 5000;
            default -> 10_000;
        };
        if (random.nextBoolean()) {
            return "[".repeat(depth) + "]".repeat(depth);
        }
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private int longLength() {
        int limit = target.maxTextLength() > 0 ? target.maxTextLength() : 4096;
        int[] lengths = {limit - 1, limit, limit + 1, 2 * limit, 64, 1000};
        int n = lengths[random.nextInt(lengths.length)];
        // stays under the frame limit: a frame over it is the oversize class
        return Math.min(n, target.maxMessageBytes() - 2048);
    }

    private Fuzz jsonMutation() {
        String valid = valid();
        return switch (random.nextInt(6)) {
            case 0 -> text("json:truncated", Expect.ERROR, valid.substring(0, random.nextInt(valid.length())));
            case 1 -> {
                char[] c = valid.toCharArray();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    c[random.nextInt(c.length)] = GARBLE.charAt(random.nextInt(GARBLE.length()));
                }
                yield text("json:garbled", Expect.ANY, new String(c));
            }
            case 2 -> text("json:non-object", Expect.ERROR, NON_OBJECTS[random.nextInt(NON_OBJECTS.length)]);
            case 3 -> text("json:empty", Expect.ERROR, random.nextBoolean() ? "" : " \n\t ");
            case 4 -> text("json:trailing", Expect.ANY, valid + (random.nextBoolean() ? "x" : "{}"));
            default -> text("json:interleaved-valid-invalid", Expect.ERROR, valid.substring(0, valid.length() - 1) + valid);
        };
    }

    private Fuzz binary() {
        byte[] b;
        if (target.binaryIsValid() && random.nextBoolean()) {
            // rtc's binary envelope, right or wrong: [type][length u32][payload]
            int length = random.nextInt(200);
            b = new byte[5 + length];
            random.nextBytes(b);
            b[0] = (byte) (random.nextInt(6));
            int declared = random.nextInt(3) == 0 ? length + random.nextInt(5) - 2 : length;
            b[1] = (byte) (declared >>> 24);
            b[2] = (byte) (declared >>> 16);
            b[3] = (byte) (declared >>> 8);
            b[4] = (byte) declared;
        } else {
            b = new byte[random.nextInt(300)];
            random.nextBytes(b);
        }
        Expect e = target.binaryIsValid() ? Expect.ANY : Expect.ERROR;
        return new Fuzz("binary", e, List.of(FaultSocket.frame(true, 0x2, b, true, 0)), b.length);
    }

    private Fuzz fragment(Fuzz inner) {
        byte[] payload = unframe(inner.frames().get(0));
        int parts = 2 + random.nextInt(4);
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < parts; i++) {
            int end = i == parts - 1 ? payload.length : Math.min(payload.length, at + random.nextInt(Math.max(1, payload.length / parts + 1) + 1));
            byte[] part = java.util.Arrays.copyOfRange(payload, at, end);
            frames.add(FaultSocket.frame(i == parts - 1, i == 0 ? 0x1 : 0x0, part, true, 0));
            if (i < parts - 1 && random.nextInt(3) == 0) {
                frames.add(FaultSocket.frame(true, 0x9, "mid".getBytes(StandardCharsets.US_ASCII), true, 0)); // a ping in between is legal
            }
            at = end;
        }
        return new Fuzz("frag:" + inner.kind(), inner.expect(), frames, payload.length);
    }

    private Fuzz invalidUtf8() {
        String valid = valid();
        byte[] v = valid.getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] b = bad[random.nextInt(bad.length)];
        int at = 1 + random.nextInt(v.length - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(v, 0, at);
        out.writeBytes(b);
        out.write(v, at, v.length - at);
        byte[] payload = out.toByteArray();
        return new Fuzz("utf8:invalid", Expect.CLOSE_1007, List.of(FaultSocket.frame(true, 0x1, payload, true, 0)), payload.length);
    }

    private Fuzz protocolViolation() {
        byte[] v = valid().getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(7)) {
            case 0 -> new Fuzz("proto:continuation-without-start", Expect.CLOSE_1002, List.of(FaultSocket.frame(true, 0x0, v, true, 0)), v.length);
            case 1 -> new Fuzz("proto:reserved-opcode", Expect.CLOSE_1002, List.of(FaultSocket.frame(true, 3 + random.nextInt(5), v, true, 0)), v.length);
            case 2 -> new Fuzz("proto:rsv-bits", Expect.CLOSE_1002, List.of(FaultSocket.frame(true, 0x1, v, true, 1 + random.nextInt(7))), v.length);
            case 3 -> new Fuzz("proto:unmasked", Expect.CLOSE_1002, List.of(FaultSocket.frame(true, 0x1, v, false, 0)), v.length);
            case 4 -> new Fuzz("proto:control-too-long", Expect.CLOSE_1002, List.of(FaultSocket.frame(true, 0x9, new byte[126], true, 0)), 126);
            case 5 -> new Fuzz("proto:fragmented-control", Expect.CLOSE_1002, List.of(FaultSocket.frame(false, 0x9, new byte[4], true, 0)), 4);
            default -> new Fuzz("proto:text-inside-fragmented-message", Expect.CLOSE_1002, List.of(
                    FaultSocket.frame(false, 0x1, java.util.Arrays.copyOf(v, v.length / 2), true, 0),
                    FaultSocket.frame(true, 0x1, v, true, 0)), v.length);
        };
    }

    private Fuzz oversize() {
        int n = target.maxMessageBytes() + 1;
        if (random.nextBoolean()) {
            byte[] payload = new byte[n];
            java.util.Arrays.fill(payload, (byte) 'x');
            return new Fuzz("size:over-limit", Expect.CLOSE_1009, List.of(FaultSocket.frame(true, 0x1, payload, true, 0)), n);
        }
        // the same in fragments that only add up to too much
        List<byte[]> frames = new ArrayList<>();
        int part = n / 4 + 1;
        for (int i = 0; i < 4; i++) {
            byte[] p = new byte[part];
            java.util.Arrays.fill(p, (byte) 'y');
            frames.add(FaultSocket.frame(i == 3, i == 0 ? 0x1 : 0x0, p, true, 0));
        }
        return new Fuzz("size:over-limit-fragmented", Expect.CLOSE_1009, frames, part * 4);
    }

    private static byte[] unframe(byte[] frame) {
        int len = frame[1] & 0x7f;
        int at = 2;
        if (len == 126) {
            len = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
            at = 4;
        } else if (len == 127) {
            len = (int) java.nio.ByteBuffer.wrap(frame, 2, 8).getLong();
            at = 10;
        }
        byte[] key = java.util.Arrays.copyOfRange(frame, at, at + 4);
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) (frame[at + 4 + i] ^ key[i & 3]);
        }
        return out;
    }

    private static Fuzz text(String kind, Expect expect, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return new Fuzz(kind, expect, List.of(FaultSocket.frame(true, 0x1, payload, true, 0)), payload.length);
    }

    private String randomWord() {
        StringBuilder s = new StringBuilder("fz");
        for (int i = 0, n = random.nextInt(12); i < n; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    private String changeCase(String type) {
        return switch (CASE[random.nextInt(CASE.length)]) {
            case "upper" -> type.toUpperCase(Locale.ROOT);
            case "lower" -> type.toLowerCase(Locale.ROOT);
            case "capital" -> type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
            default -> {
                StringBuilder s = new StringBuilder();
                for (char ch : type.toCharArray()) {
                    s.append(Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
                }
                yield s.toString();
            }
        };
    }

    private static void paths(JsonObject o, String prefix, List<String> out) {
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(p);
            if (e.getValue() instanceof JsonObject inner) {
                paths(inner, p, out);
            }
        }
    }

    private String duplicate(JsonObject seed, String path) {
        String text = write(seed, null, null);
        String key = path.substring(path.lastIndexOf('.') + 1);
        int at = text.indexOf("\"" + key + "\":");
        if (at < 0) {
            at = 1;
        }
        String dup = "\"" + key + "\":" + WRONG_TYPES[random.nextInt(WRONG_TYPES.length)] + ",";
        return text.substring(0, at) + dup + text.substring(at);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Writes {@code v}, the value at dotted {@code path} replaced by raw JSON text {@code raw} (null: removed; added when absent). */
    static String write(JsonValue v, String path, String raw) {
        StringBuilder b = new StringBuilder();
        write(v, "", path, raw, b);
        return b.toString();
    }

    private static void write(JsonValue v, String at, String path, String raw, StringBuilder b) {
        switch (v.getValueType()) {
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                boolean found = false;
                for (Map.Entry<String, JsonValue> e : ((JsonObject) v).entrySet()) {
                    String p = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                    if (p.equals(path)) {
                        found = true;
                        if (raw == null) {
                            continue;
                        }
                    }
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    b.append(quote(e.getKey())).append(':');
                    if (p.equals(path)) {
                        b.append(raw);
                    } else {
                        write(e.getValue(), p, path, raw, b);
                    }
                }
                if (!found && raw != null && path != null && at.isEmpty() && !path.contains(".")) {
                    b.append(first ? "" : ",").append(quote(path)).append(':').append(raw);
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                JsonArray a = (JsonArray) v;
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(a.get(i), at + "." + i, path, raw, b);
                }
                b.append(']');
            }
            case STRING -> b.append(quote(((JsonString) v).getString()));
            case NUMBER -> b.append(((JsonNumber) v).toString());
            case TRUE -> b.append("true");
            case FALSE -> b.append("false");
            case NULL -> b.append("null");
        }
    }
}
