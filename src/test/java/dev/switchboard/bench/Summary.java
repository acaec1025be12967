package dev.switchboard.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints the table of one benchmark run ({@code results-*.jsonl}), Switchboard's figures as ratios to the references'. */
public final class Summary {

    private Summary() {
    }

    public static void main(String[] args) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("{")) {
                rows.add(Bench.json(line));
            }
        }
        System.out.println(render(rows));
    }

    static String render(List<JsonObject> rows) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Fan-out (workspace chat, wsbench; server on one core)\n\n");
        out.append("| server | rate msg/s | delivered | deliveries/s | p50 ms | p99 ms | p99.9 ms | server CPU % | CPU µs/delivery | Switchboard's µs/delivery ÷ this |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        Map<Integer, Double> switchboardCost = new LinkedHashMap<>();
        for (JsonObject r : rows) {
            if (r.getString("scenario", "").equals("fanout") && r.getString("server", "").equals("switchboard") && r.containsKey("rate")) {
                switchboardCost.put(r.getInt("rate"), cost(r));
            }
        }
        for (JsonObject r : rows) {
            if (!r.getString("scenario", "").equals("fanout") || !r.containsKey("rate")) {
                continue;
            }
            JsonObject l = r.getJsonObject("latencyMs");
            double cost = cost(r);
            Double sb = switchboardCost.get(r.getInt("rate"));
            out.append(String.format("| %s | %d | %.3f | %.0f | %s | %s | %s | %s | %.1f | %s |%n", r.getString("server"), r.getInt("rate"),
                    num(r, "deliveryRatio"), num(r, "deliveredPerSec"), l.get("p50"), l.get("p99"), l.get("p999"), r.get("serverCpuPct"),
                    cost, sb == null || cost == 0 ? "" : String.format("%.2f", sb / cost)));
        }
        out.append("\n## Idle connections (RSS per connection)\n\n| server | connections | open | KiB per connection |\n|---|---|---|---|\n");
        for (JsonObject r : rows) {
            if (r.getString("scenario", "").equals("idle")) {
                out.append(String.format("| %s | %d | %d | %d |%n", r.getString("server"), r.getInt("conns"), r.getInt("open", -1), r.getInt("perConnKiB")));
            }
        }
        out.append("\n## Switchboard only\n\n");
        for (JsonObject r : rows) {
            String s = r.getString("scenario", "");
            if (!s.equals("fanout") && !s.equals("idle")) {
                out.append("- ").append(s).append(": ").append(r).append('\n');
            }
        }
        return out.toString();
    }

    /** Server CPU microseconds per delivered message. */
    static double cost(JsonObject r) {
        double perSecond = num(r, "deliveredPerSec");
        return perSecond <= 0 ? 0 : num(r, "serverCpuPct") / 100.0 / perSecond * 1e6;
    }

    private static double num(JsonObject r, String key) {
        JsonValue v = r.get(key);
        return v instanceof jakarta.json.JsonNumber n ? n.doubleValue() : 0;
    }
}
