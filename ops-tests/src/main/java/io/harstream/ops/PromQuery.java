package io.harstream.ops;

import java.util.Objects;

/**
 * One PromQL expression of the project, and where it comes from.
 *
 * @param source {@link #DASHBOARD}, {@link #RECORDING_RULE} or {@link #ALERT_RULE}
 * @param name   for a dashboard target: {@code <dashboard uid>/<panel id> <panel title> [<refId>]}; for a
 *               rule: the recorded series or alert name, with its static labels if any
 *               (e.g. {@code har:event_to_prediction_seconds:quantile5m{quantile="0.99"}})
 * @param expr   the expression exactly as written in the file
 */
public record PromQuery(String source, String name, String expr) {

    /** A Grafana panel target. */
    public static final String DASHBOARD = "dashboard";
    /** A recording rule of prometheus/rules/recording.yml. */
    public static final String RECORDING_RULE = "recording";
    /** An alerting rule of prometheus/rules/alerts.yml. */
    public static final String ALERT_RULE = "alert";

    public PromQuery {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expr");
    }

    /**
     * The expression as Prometheus' HTTP API can run it: Grafana's built-in interval variables
     * ({@code $__rate_interval}, {@code $__interval}, {@code $__range}, with or without braces) become
     * {@code 1m}. Other text is unchanged.
     */
    public String exprForPrometheus() {
        return expr.replaceAll("\\$\\{?__(rate_interval|interval|range)(_ms|_s)?\\}?", "1m");
    }

    @Override
    public String toString() {
        return source + " " + name + ": " + expr.strip().replaceAll("\\s+", " ");
    }
}
