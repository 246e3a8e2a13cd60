package io.harstream.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every PromQL expression the project ships: the Grafana dashboards' panel targets and the Prometheus
 * recording rules (and, separately, the alerting rules), read from the files in the repository.
 *
 * <p>For end-to-end tests that run a real Prometheus against a real stream-app: load
 * {@code prometheus/rules/*.yml}, let it scrape, then run each of {@link #all(Path)} through the HTTP
 * API ({@link PromQuery#exprForPrometheus()}) and expect data.
 *
 * <pre>{@code
 * Path root = PromQueries.repoRoot(Path.of(""));
 * for (PromQuery q : PromQueries.all(root)) { ... q.exprForPrometheus() ... }
 * }</pre>
 */
public final class PromQueries {

    /** The recording rules, relative to the repository root. */
    public static final String RECORDING_RULES = "prometheus/rules/recording.yml";
    /** The alerting rules, relative to the repository root. */
    public static final String ALERT_RULES = "prometheus/rules/alerts.yml";
    /** The dashboards' directory, relative to the repository root. */
    public static final String DASHBOARDS = "grafana/dashboards";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromQueries() {
    }

    /** Dashboard panel targets, then recording rules, in file order. */
    public static List<PromQuery> all(Path repoRoot) {
        List<PromQuery> all = new ArrayList<>(dashboards(repoRoot));
        all.addAll(recordingRules(repoRoot));
        return List.copyOf(all);
    }

    /**
     * The expression of every panel target (with an expr) of every dashboard in grafana/dashboards, Grafana
     * variables as written ({@link PromQuery#exprForPrometheus(Map)} substitutes them).
     */
    public static List<PromQuery> dashboards(Path repoRoot) {
        List<PromQuery> out = new ArrayList<>();
        for (Path file : dashboardFiles(repoRoot)) {
            JsonNode dash = read(JSON, file);
            String uid = dash.path("uid").asText(file.getFileName().toString());
            for (JsonNode panel : panels(dash)) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText("");
                    if (!expr.isBlank()) {
                        out.add(new PromQuery(PromQuery.DASHBOARD,
                                uid + "/" + panel.path("id").asText() + " " + panel.path("title").asText()
                                        + " [" + target.path("refId").asText() + "]",
                                expr));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The expression of every Prometheus annotation query of every dashboard (markers such as restarts): they
     * may rightly return nothing, so they are not part of {@link #all}.
     */
    public static List<PromQuery> annotations(Path repoRoot) {
        List<PromQuery> out = new ArrayList<>();
        for (Path file : dashboardFiles(repoRoot)) {
            JsonNode dash = read(JSON, file);
            String uid = dash.path("uid").asText(file.getFileName().toString());
            for (JsonNode a : dash.path("annotations").path("list")) {
                String expr = a.path("expr").asText("");
                if (!expr.isBlank()) {
                    out.add(new PromQuery(PromQuery.ANNOTATION, uid + "/annotation " + a.path("name").asText(), expr));
                }
            }
        }
        return List.copyOf(out);
    }

    /** The dashboards' JSON files, sorted. */
    public static List<Path> dashboardFiles(Path repoRoot) {
        Path dir = repoRoot.resolve(DASHBOARDS);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The recording rules of prometheus/rules/recording.yml. */
    public static List<PromQuery> recordingRules(Path repoRoot) {
        return rules(repoRoot.resolve(RECORDING_RULES), "record", PromQuery.RECORDING_RULE);
    }

    /** The alerting rules of prometheus/rules/alerts.yml. */
    public static List<PromQuery> alertRules(Path repoRoot) {
        return rules(repoRoot.resolve(ALERT_RULES), "alert", PromQuery.ALERT_RULE);
    }

    /**
     * Every panel of a dashboard, the panels nested in collapsed rows included, in file order.
     */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            out.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                out.add(nested);
            }
        }
        return out;
    }

    /**
     * The repository root: {@code start} or the nearest directory above it that holds
     * {@code prometheus/prometheus.yml} (a module's tests run in the module directory, so usually "..").
     *
     * @throws IllegalStateException when there is none
     */
    public static Path repoRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("prometheus/prometheus.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no harstream repository root (with prometheus/prometheus.yml) at or above "
                + start.toAbsolutePath());
    }

    private static List<PromQuery> rules(Path file, String kind, String source) {
        JsonNode root = read(YAML, file);
        List<PromQuery> out = new ArrayList<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.hasNonNull(kind)) {
                    continue;
                }
                // Recording rules may share a name and differ by their static labels; alert names are unique.
                String name = rule.get(kind).asText() + (kind.equals("record") ? labels(rule.path("labels")) : "");
                out.add(new PromQuery(source, name, rule.path("expr").asText()));
            }
        }
        return List.copyOf(out);
    }

    private static String labels(JsonNode labels) {
        if (!labels.isObject() || labels.isEmpty()) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            sorted.put(e.getKey(), e.getValue().asText());
        }
        StringBuilder sb = new StringBuilder("{");
        sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
