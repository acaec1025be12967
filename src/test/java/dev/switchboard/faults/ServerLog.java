package dev.switchboard.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads Payara's log for server faults. A record starts with {@code [<ISO time>] [] [<LEVEL>]} and runs to the next
 * one. A fault is a SEVERE or WARNING record that carries a stack trace or an exception ({@code Exception},
 * {@code Error:}, a line {@code at <frame>}), or is an {@code ops.fault} incident report (which the server makes for
 * every unexpected failure of its own, with the trace). WARNING/SEVERE records without either (a refused login, a
 * slow consumer closed, configuration notes) are counted but are not faults.
 */
final class ServerLog {

    private static final Pattern RECORD = Pattern.compile("(?m)^\\[\\d{4}-\\d\\d-\\d\\dT[^\\]]*\\] \\[[^\\]]*\\] \\[(?:\\x1b\\[[0-9;]*m)?([A-Z]+)");
    private static final Pattern TRACE = Pattern.compile("Exception|Error:|(?m)^\\s+at [\\w$.]+\\(|ops\\.fault");

    record Scan(int warnings, int severe, List<String> faults) {
    }

    private ServerLog() {
    }

    static Scan scan(String log) {
        var m = RECORD.matcher(log);
        List<int[]> starts = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            levels.add(m.group(1));
        }
        int warnings = 0;
        int severe = 0;
        List<String> faults = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            String level = levels.get(i);
            if (!level.equals("SEVERE") && !level.equals("WARNING")) {
                continue;
            }
            if (level.equals("SEVERE")) {
                severe++;
            } else {
                warnings++;
            }
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : log.length();
            String record = log.substring(starts.get(i)[0], end);
            if (TRACE.matcher(record).find()) {
                String flat = record.replaceAll("\\x1b\\[[0-9;]*m", "").replaceAll("\\s+", " ");
                faults.add(flat.length() > 600 ? flat.substring(0, 600) + "..." : flat);
            }
        }
        return new Scan(warnings, severe, faults);
    }
}
