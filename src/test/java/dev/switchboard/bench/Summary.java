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
        cluster(rows, out);
        failover(rows, out);
        out.append("\n## Switchboard only\n\n");
        for (JsonObject r : rows) {
            String s = r.getString("scenario", "");
            if (!s.equals("fanout") && !s.equals("idle") && !s.equals("cluster") && !s.equals("failover")) {
                out.append("- ").append(s).append(": ").append(r).append('\n');
            }
        }
        return out.toString();
    }

    /** The cross-instance fan-out: each rate on one instance, then on two, with the ratios to the single one. */
    private static void cluster(List<JsonObject> rows, StringBuilder out) {
        Map<Integer, JsonObject> single = new LinkedHashMap<>();
        List<JsonObject> runs = new ArrayList<>();
        for (JsonObject r : rows) {
            if (r.getString("scenario", "").equals("cluster")) {
                if (!r.containsKey("rate")) {
                    out.append("\n- cluster: ").append(r).append('\n');
                    continue;
                }
                runs.add(r);
                if (r.getInt("instances") == 1) {
                    single.put(r.getInt("rate"), r);
                }
            }
        }
        if (runs.isEmpty()) {
            return;
        }
        out.append("\n## Cross-instance fan-out (workspace chat, 1 publisher on A, subscribers spread over the instances; all on one core)\n\n");
        out.append("| instances | rate msg/s | delivered | lost | duplicates | deliveries/s | p50 ms | p99 ms | p99.9 ms | p50/p99 on A | p50/p99 elsewhere"
                + " | server CPU % | CPU µs/delivery | deliveries/s ÷ 1 instance | p50 ÷ 1 instance | p99 ÷ 1 instance | machine load |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonObject r : runs) {
            JsonObject l = r.getJsonObject("latencyMs");
            JsonObject base = single.get(r.getInt("rate"));
            String perSecond = "";
            String p50 = "";
            String p99 = "";
            if (base != null && base != r) {
                JsonObject bl = base.getJsonObject("latencyMs");
                perSecond = ratio(num(r, "deliveredPerSec"), num(base, "deliveredPerSec"));
                p50 = ratio(num(l, "p50"), num(bl, "p50"));
                p99 = ratio(num(l, "p99"), num(bl, "p99"));
            }
            JsonObject local = r.getJsonObject("latencyLocalMs");
            JsonObject remote = r.getJsonObject("latencyRemoteMs");
            out.append(String.format("| %d | %d | %.4f | %d | %d | %.0f | %s | %s | %s | %s / %s | %s | %s | %.1f | %s | %s | %s | %s |%n",
                    r.getInt("instances"), r.getInt("rate"), num(r, "deliveryRatio"), r.getJsonNumber("lost").longValue(),
                    r.getJsonNumber("duplicates").longValue(), num(r, "deliveredPerSec"), l.get("p50"), l.get("p99"), l.get("p999"),
                    local.get("p50"), local.get("p99"),
                    remote.getInt("samples") == 0 ? "-" : remote.get("p50") + " / " + remote.get("p99"),
                    r.get("serverCpuPct"), cost(r), perSecond, p50, p99, r.getString("loadAverage", "")));
        }
    }

    /** The failover runs: kill -9 of one instance to its users' offline and its agent:offline elsewhere. */
    private static void failover(List<JsonObject> rows, StringBuilder out) {
        List<JsonObject> runs = new ArrayList<>();
        for (JsonObject r : rows) {
            if (r.getString("scenario", "").equals("failover")) {
                runs.add(r);
            }
        }
        if (runs.isEmpty()) {
            return;
        }
        out.append("\n## Failover (kill -9 of one of 3 instances, default heartbeats): ms from the kill\n\n");
        out.append("| run | rtc offline | control agent:offline | vault peer_disconnected | machine load |\n|---|---|---|---|---|\n");
        String[] keys = {"presenceOfflineMs", "agentOfflineMs", "peerDisconnectedMs"};
        List<List<Long>> columns = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (JsonObject r : runs) {
            if (!r.containsKey(keys[0])) {
                out.append("| ").append(r).append(" ||||\n");
                continue;
            }
            out.append("| ").append(r.getInt("run", columns.get(0).size() + 1));
            for (int k = 0; k < keys.length; k++) {
                long v = r.getJsonNumber(keys[k]).longValue();
                columns.get(k).add(v);
                out.append(" | ").append(v);
            }
            out.append(" | ").append(r.getString("loadAverage", "")).append(" |\n");
        }
        if (!columns.get(0).isEmpty()) {
            out.append("| min / median / max");
            for (List<Long> c : columns) {
                List<Long> sorted = new ArrayList<>(c);
                java.util.Collections.sort(sorted);
                long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
                out.append(" | ").append(sorted.get(0)).append(" / ").append(median).append(" / ").append(sorted.get(sorted.size() - 1));
            }
            out.append(" | |\n");
        }
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "" : String.format("%.2f", a / b);
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
