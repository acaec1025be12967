package dev.switchboard.common;

/** Writes the Prometheus text exposition format (version 0.0.4): HELP and TYPE lines, then samples. */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample; {@code label} may be null for a series without labels. */
    public static void sample(StringBuilder out, String name, String label, String labelValue, double value) {
        out.append(name);
        if (label != null) {
            out.append('{').append(label).append("=\"");
            for (int i = 0; i < labelValue.length(); i++) {
                char c = labelValue.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(c);
                }
            }
            out.append("\"}");
        }
        out.append(' ');
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** A gauge with a single sample. */
    public static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, help, "gauge");
        sample(out, name, null, null, value);
    }

    /** A counter kept elsewhere (the hub's own adders), with a single sample. */
    public static void counter(StringBuilder out, String name, String help, double value) {
        header(out, name, help, "counter");
        sample(out, name, null, null, value);
    }
}
