package io.harstream.ops;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL expression of the project, and where it comes from.
 *
 * @param source {@link #DASHBOARD}, {@link #ANNOTATION}, {@link #RECORDING_RULE} or {@link #ALERT_RULE}
 * @param name   for a dashboard target: {@code <dashboard uid>/<panel id> <panel title> [<refId>]}; for an
 *               annotation: {@code <dashboard uid>/annotation <name>}; for a
 *               rule: the recorded series or alert name, with its static labels if any
 *               (e.g. {@code har:event_to_prediction_seconds:quantile5m{quantile="0.99"}})
 * @param expr   the expression exactly as written in the file
 */
public record PromQuery(String source, String name, String expr) {

    /** A Grafana panel target. */
    public static final String DASHBOARD = "dashboard";
    /** A Grafana annotation query. */
    public static final String ANNOTATION = "annotation";
    /** A recording rule of prometheus/rules/recording.yml. */
    public static final String RECORDING_RULE = "recording";
    /** An alerting rule of prometheus/rules/alerts.yml. */
    public static final String ALERT_RULE = "alert";

    /**
     * Values for every variable the dashboards use that match everything a Prometheus holds from the last
     * hour: every instance and model ({@code .*}), the rate window's default ({@code 5m}), a one-hour time
     * range, and {@code 1m} for Grafana's interval variables. For syntax checks and stand-ins; a test against
     * a real stream-app passes its real instance and model to {@link #exprForPrometheus(Map)} instead.
     */
    public static final Map<String, String> MATCH_ALL = Map.of(
            "instance", ".*", "model", ".*", "window", "5m",
            "__range", "1h", "__range_s", "3600", "__range_ms", "3600000",
            "__rate_interval", "1m", "__interval", "1m", "__interval_ms", "60000");

    /** {@code $name}, {@code ${name}}, {@code ${name:format}}, {@code [[name]]}; not {@code $1} (a regex back-reference). */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\[\\[([A-Za-z0-9_]+)]]");

    public PromQuery {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expr");
    }

    /** {@link #exprForPrometheus(Map)} with {@link #MATCH_ALL}. */
    public String exprForPrometheus() {
        return exprForPrometheus(MATCH_ALL);
    }

    /**
     * The expression as Prometheus' HTTP API can run it: every Grafana variable ({@code $instance},
     * {@code ${window}}, {@code $__range}, {@code [[model]]} ...) replaced by its value, inserted as is (a
     * regex-matched label takes a regex). Other text is unchanged.
     *
     * @throws IllegalArgumentException naming a variable that {@code values} lacks
     */
    public String exprForPrometheus(Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(variable);
            if (value == null) {
                throw new IllegalArgumentException("no value for $" + variable + " in " + this);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    @Override
    public String toString() {
        return source + " " + name + ": " + expr.strip().replaceAll("\\s+", " ");
    }
}
