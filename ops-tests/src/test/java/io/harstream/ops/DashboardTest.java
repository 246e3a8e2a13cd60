package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** grafana/: provisioning and the structure of every dashboard. */
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Tools.ROOT;
    /** What every panel's datasource uid reads: the dashboard's datasource variable. */
    private static final String DATASOURCE = "${datasource}";
    private static final String OVERVIEW = "grafana/dashboards/harstream-overview.json";
    /** A range selector or subquery range: {@code [5m]}, {@code [$window]}. */
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]+)]");
    /** $name, ${name}, ${name:format}, [[name]]. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[^}]*)?}|\\$([A-Za-z0-9_]+)|\\[\\[([A-Za-z0-9_]+)]]");

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(PromQueries.DASHBOARDS))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The uid of the provisioned datasource (grafana/provisioning/datasources/prometheus.yml). */
    static String datasourceUid() throws IOException {
        JsonNode ds = YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/prometheus.yml").toFile());
        assertThat(ds.path("datasources")).hasSize(1);
        return ds.path("datasources").get(0).path("uid").asText();
    }

    @Test
    void datasourceIsTheComposePrometheus() throws IOException {
        JsonNode ds = YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        assertThat(ds.path("uid").asText()).isEqualTo("harstream-prometheus");
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    @Test
    void dashboardProviderReadsTheMountedDirectory() throws IOException {
        JsonNode provider = YAML.readTree(ROOT.resolve("grafana/provisioning/dashboards/harstream.yml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        String path = provider.path("options").path("path").asText();
        // docker-compose.yml mounts ./grafana/dashboards there.
        JsonNode grafana = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services").path("grafana");
        List<String> volumes = new ArrayList<>();
        grafana.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).anyMatch(v -> v.startsWith("./grafana/dashboards:" + path));
        assertThat(volumes).anyMatch(v -> v.startsWith("./grafana/provisioning:/etc/grafana/provisioning"));
    }

    @Test
    void thereIsAnOverviewDashboard() throws IOException {
        assertThat(dashboards()).extracting(p -> p.getFileName().toString()).contains("harstream-overview.json");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelIdsAreUnique(Path file) throws IOException {
        JsonNode dash = JSON.readTree(file.toFile());
        List<Integer> ids = PromQueries.panels(dash).stream().map(p -> p.path("id").asInt(-1)).toList();
        assertThat(ids).isNotEmpty().doesNotContain(-1).doesNotHaveDuplicates();
        assertThat(dash.path("uid").asText()).isNotBlank();
    }

    /**
     * Every panel, target, query variable and annotation reads the {@code $datasource} variable, whose
     * default is the provisioned datasource: a user can point the dashboard at another Prometheus.
     */
    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelAndTargetUsesTheDatasourceVariable(Path file) throws IOException {
        JsonNode dash = JSON.readTree(file.toFile());
        JsonNode variable = variable(dash, "datasource");
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        assertThat(variable.path("current").path("value").asText()).as("default datasource").isEqualTo(datasourceUid());
        for (JsonNode panel : PromQueries.panels(dash)) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel '%s'", title)
                    .isEqualTo(DATASOURCE);
            assertThat(panel.path("targets")).as("targets of panel '%s'", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText())
                        .as("datasource of a target of panel '%s'", title).isEqualTo(DATASOURCE);
            }
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                assertThat(v.path("datasource").path("uid").asText()).as("datasource of $%s", v.path("name").asText())
                        .isEqualTo(DATASOURCE);
            }
        }
        for (JsonNode a : dash.path("annotations").path("list")) {
            if (!a.has("builtIn")) {
                assertThat(a.path("datasource").path("uid").asText()).as("datasource of annotation %s", a.path("name"))
                        .isEqualTo(DATASOURCE);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelHasAQuery(Path file) throws IOException {
        for (JsonNode panel : PromQueries.panels(JSON.readTree(file.toFile()))) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText("")));
            assertThat(exprs).as("queries of panel '%s'", panel.path("title").asText()).anyMatch(e -> !e.isBlank());
        }
    }

    /** Every $variable is a Grafana built-in ($__...) or defined in the dashboard's templating. */
    @ParameterizedTest
    @MethodSource("dashboards")
    void noDanglingVariables(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode dash = JSON.readTree(text);
        Set<String> defined = new HashSet<>();
        dash.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
        List<String> dangling = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            // "$1"-style regex back-references (label_replace) are not variables.
            if (!name.startsWith("__") && !name.chars().allMatch(Character::isDigit) && !defined.contains(name)) {
                dangling.add(m.group());
            }
        }
        assertThat(dangling).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelsDoNotOverlap(Path file) throws IOException {
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : JSON.readTree(file.toFile()).path("panels")) {
            JsonNode g = panel.path("gridPos");
            assertThat(g.path("x").asInt() + g.path("w").asInt()).as("width of '%s'", panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
            for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
                for (int y = g.path("y").asInt(); y < g.path("y").asInt() + g.path("h").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as("panel '%s' overlaps another at %d,%d",
                            panel.path("title").asText(), x, y).isTrue();
                }
            }
        }
    }

    /** The rows, in order; Quality open, JVM collapsed with its panels inside; every other panel under a row. */
    @Test
    void overviewIsInRows() throws IOException {
        JsonNode dash = overview();
        JsonNode panels = dash.path("panels");
        assertThat(panels.get(0).path("type").asText()).as("the first panel is a row").isEqualTo("row");
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        panels.forEach(p -> {
            if (p.path("type").asText().equals("row")) {
                rows.put(p.path("title").asText(), p);
            }
        });
        assertThat(rows.keySet()).containsExactly("Quality", "Input and dead letters", "Latency and throughput",
                "Kafka Streams", "Quality without labels", "JVM", "Model lifecycle");
        assertThat(rows.get("Quality").path("collapsed").asBoolean()).as("Quality collapsed").isFalse();
        assertThat(rows.get("JVM").path("collapsed").asBoolean()).as("JVM collapsed").isTrue();
        assertThat(rows.get("JVM").path("panels")).as("JVM panels").isNotEmpty();
        rows.forEach((title, row) -> {
            if (!row.path("collapsed").asBoolean()) {
                assertThat(row.path("panels")).as("an open row keeps its panels beside it: %s", title).isEmpty();
            }
        });
        assertThat(rowOf(dash, "Accuracy against the model's offline figure")).isEqualTo("Quality");
        assertThat(rowOf(dash, "Confusion matrix")).isEqualTo("Quality");
        assertThat(rowOf(dash, "Dead letters")).isEqualTo("Input and dead letters");
        assertThat(rowOf(dash, "Event-to-prediction latency (histogram)")).isEqualTo("Latency and throughput");
        assertThat(rowOf(dash, "Consumer lag")).isEqualTo("Kafka Streams");
        assertThat(rowOf(dash, "Expected accuracy against realized")).isEqualTo("Quality without labels");
        assertThat(rowOf(dash, "Class-mix drift")).isEqualTo("Quality without labels");
        assertThat(rowOf(dash, "Input problems")).isEqualTo("Quality without labels");
        assertThat(rowOf(dash, "JVM memory")).isEqualTo("JVM");
    }

    /** datasource, instance and model version (from har_model_info), and the rate window. */
    @Test
    void overviewHasTheTemplateVariables() throws IOException {
        JsonNode dash = overview();
        List<String> names = new ArrayList<>();
        dash.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        assertThat(names).containsExactly("datasource", "instance", "model", "window");

        JsonNode instance = variable(dash, "instance");
        assertThat(instance.path("type").asText()).isEqualTo("query");
        assertThat(instance.path("definition").asText()).startsWith("label_values(har_model_info").endsWith(", instance)");
        JsonNode model = variable(dash, "model");
        assertThat(model.path("type").asText()).isEqualTo("query");
        assertThat(model.path("definition").asText()).startsWith("label_values(har_model_info")
                .contains("instance=~\"$instance\"").endsWith(", version)");
        for (JsonNode v : List.of(instance, model)) {
            assertThat(v.path("query").path("query").asText()).isEqualTo(v.path("definition").asText());
            assertThat(v.path("includeAll").asBoolean()).isTrue();
            assertThat(v.path("multi").asBoolean()).isTrue();
            assertThat(v.path("allValue").asText()).isEqualTo(".*");
        }
        JsonNode window = variable(dash, "window");
        assertThat(window.path("type").asText()).isEqualTo("custom");
        assertThat(window.path("query").asText()).isEqualTo("1m,5m,15m,1h");
        List<String> options = new ArrayList<>();
        window.path("options").forEach(o -> options.add(o.path("value").asText()));
        assertThat(options).containsExactly("1m", "5m", "15m", "1h");
        // The end-to-end tests substitute this default (PromQuery.MATCH_ALL).
        assertThat(window.path("current").path("value").asText()).isEqualTo(PromQuery.MATCH_ALL.get("window"));
    }

    /**
     * Every target filters by {@code $instance}; every one that reads the confusion counters by {@code $model}
     * too; every range is the rate window or the time range. The firing-alerts list is the exception: alerts
     * are computed over all stream-apps and carry no instance.
     */
    @Test
    void everyQueryFollowsTheVariables() {
        List<String> problems = new ArrayList<>();
        for (PromQuery q : PromQueries.dashboards(ROOT)) {
            String expr = q.expr();
            if (expr.startsWith("ALERTS{")) {
                continue;
            }
            if (!expr.contains("instance=~\"$instance\"")) {
                problems.add("no $instance filter: " + q);
            }
            if (expr.contains("har_predictions_total") && !expr.contains("har_model_info{version=~\"$model\"}")) {
                problems.add("no $model filter: " + q);
            }
            if ((expr.contains("har_model_offline_") || expr.contains("har_model_info"))
                    && !expr.contains("version=~\"$model\"")) {
                problems.add("no $model filter: " + q);
            }
            Matcher m = RANGE.matcher(expr);
            while (m.find()) {
                if (!m.group(1).equals("$window") && !m.group(1).equals("$__range")) {
                    problems.add("range [" + m.group(1) + "] is neither $window nor $__range: " + q);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(PromQueries.dashboards(ROOT)).filteredOn(q -> q.expr().contains("[$window]")).hasSizeGreaterThan(10);
    }

    /** Markers for stream-app restarts and model changes, on by default. */
    @Test
    void overviewAnnotatesRestartsAndModelChanges() throws IOException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        overview().path("annotations").path("list").forEach(a -> byName.put(a.path("name").asText(), a));
        assertThat(byName).containsKeys("Stream-app restarts", "Model changes");
        assertThat(byName.get("Stream-app restarts").path("expr").asText()).contains("process_start_time_seconds")
                .contains("job=\"harstream\"").contains("instance=~\"$instance\"");
        assertThat(byName.get("Model changes").path("expr").asText()).contains("har_model_info")
                .contains("by (instance, version)");
        for (String name : List.of("Stream-app restarts", "Model changes")) {
            assertThat(byName.get(name).path("enable").asBoolean()).as("%s on", name).isTrue();
        }
        assertThat(PromQueries.annotations(ROOT)).extracting(PromQuery::name)
                .contains("harstream-overview/annotation Stream-app restarts", "harstream-overview/annotation Model changes");
    }

    /**
     * The NxN confusion matrix over the dashboard's time range, each actual row divided by its total: an
     * instant table turned into a matrix by Grafana, cells coloured by value.
     */
    @Test
    void confusionMatrixIsNormalisedPerActualRowAndColoured() throws IOException {
        JsonNode matrix = panel(overview(), "Confusion matrix");
        assertThat(matrix.path("type").asText()).isEqualTo("table");
        JsonNode target = matrix.path("targets").get(0);
        assertThat(target.path("expr").asText()).contains("har_predictions_total").contains("sum by (actual, predicted)")
                .contains("actual!=\"unknown\"").contains("[$__range]").contains("/ on (actual) group_left ()")
                .contains("sum by (actual)");
        assertThat(target.path("format").asText()).isEqualTo("table");
        assertThat(target.path("instant").asBoolean()).isTrue();
        JsonNode transform = matrix.path("transformations").get(0);
        assertThat(transform.path("id").asText()).isEqualTo("groupingToMatrix");
        assertThat(transform.path("options").path("rowField").asText()).isEqualTo("actual");
        assertThat(transform.path("options").path("columnField").asText()).isEqualTo("predicted");
        assertThat(transform.path("options").path("valueField").asText()).isEqualTo("Value");
        JsonNode defaults = matrix.path("fieldConfig").path("defaults");
        assertThat(defaults.path("custom").path("cellOptions").path("type").asText()).isEqualTo("color-background");
        assertThat(defaults.path("unit").asText()).isEqualTo("percentunit");
        assertThat(defaults.path("max").asDouble()).isEqualTo(1.0);
    }

    /** Latency as a heatmap of the histogram's buckets beside its p50/p95/p99. */
    @Test
    void latencyIsAHeatmapBesideItsQuantiles() throws IOException {
        JsonNode dash = overview();
        JsonNode heatmap = panel(dash, "Event-to-prediction latency (histogram)");
        assertThat(heatmap.path("type").asText()).isEqualTo("heatmap");
        JsonNode target = heatmap.path("targets").get(0);
        assertThat(target.path("format").asText()).isEqualTo("heatmap");
        assertThat(target.path("expr").asText()).contains("har_event_to_prediction_seconds_bucket").contains("by (le)");
        assertThat(heatmap.path("options").path("calculate").asBoolean()).as("buckets as they are").isFalse();
        JsonNode quantiles = panel(dash, "Event-to-prediction latency p50");
        List<String> exprs = new ArrayList<>();
        quantiles.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        assertThat(exprs).hasSize(3).allMatch(e -> e.contains("har_event_to_prediction_seconds_bucket"));
        assertThat(exprs.get(0)).startsWith("histogram_quantile(0.5,");
        assertThat(exprs.get(1)).startsWith("histogram_quantile(0.95,");
        assertThat(exprs.get(2)).startsWith("histogram_quantile(0.99,");
        assertThat(heatmap.path("gridPos").path("y").asInt()).as("side by side")
                .isEqualTo(quantiles.path("gridPos").path("y").asInt());
    }

    /** The Quality row: accuracy with the offline reference, balanced accuracy, recall by class, class mix, alerts. */
    @Test
    void qualityRowComparesWithTheOfflineFigures() throws IOException {
        JsonNode dash = overview();
        List<String> accuracy = exprs(panel(dash, "Accuracy against the model's offline figure"));
        assertThat(accuracy).anyMatch(e -> e.contains("har_model_offline_accuracy_ratio") && e.contains("figure=\"test\""));
        assertThat(accuracy).anyMatch(e -> e.startsWith("avg(")); // balanced accuracy: the mean of the recalls
        assertThat(exprs(panel(dash, "Balanced accuracy"))).singleElement()
                .satisfies(e -> assertThat(e).startsWith("avg(").contains("sum by (actual)"));
        assertThat(panel(dash, "Recall by class").path("type").asText()).isIn("state-timeline", "heatmap");
        JsonNode mix = panel(dash, "Class mix");
        assertThat(exprs(mix)).hasSize(2);
        assertThat(exprs(mix).get(0)).contains("sum by (actual)");
        assertThat(exprs(mix).get(1)).contains("sum by (predicted)");
        JsonNode alerts = panel(dash, "Firing alerts");
        assertThat(alerts.path("type").asText()).isEqualTo("table");
        assertThat(exprs(alerts)).singleElement().satisfies(e -> assertThat(e).startsWith("ALERTS{alertstate=\"firing\""));
    }

    /** The panels the overview promises, by the series they read. */
    @Test
    void overviewShowsEveryFigure() {
        String all = String.join("\n", PromQueries.dashboards(ROOT).stream().map(PromQuery::expr).toList());
        assertThat(all).contains(
                "har_predictions_total", "har_model_offline_accuracy_ratio", "har_model_offline_macro_f1_ratio",
                "har_events_total", "har_dead_letters_total", "har_series_restarts_total",
                "har_inference_batch_seconds_bucket", "har_inference_batch_size_sum",
                "har_event_to_prediction_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max",
                "kafka_consumer_fetch_manager_records_lag{", "kafka_stream_thread_process_rate",
                "har_model_info", "jvm_memory_used_bytes", "ALERTS");
    }

    private static JsonNode overview() throws IOException {
        return JSON.readTree(ROOT.resolve(OVERVIEW).toFile());
    }

    private static JsonNode variable(JsonNode dash, String name) {
        for (JsonNode v : dash.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no template variable $" + name);
    }

    /** The one panel whose title starts with {@code title}. */
    private static JsonNode panel(JsonNode dash, String title) {
        List<JsonNode> found = PromQueries.panels(dash).stream()
                .filter(p -> p.path("title").asText().startsWith(title)).toList();
        assertThat(found).as("panels titled '%s...'", title).hasSize(1);
        return found.get(0);
    }

    /** The title of the row a panel sits under (open rows: the last row above it; collapsed: its parent). */
    private static String rowOf(JsonNode dash, String title) {
        String row = null;
        for (JsonNode p : dash.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                row = p.path("title").asText();
                for (JsonNode nested : p.path("panels")) {
                    if (nested.path("title").asText().startsWith(title)) {
                        return row;
                    }
                }
            } else if (p.path("title").asText().startsWith(title)) {
                return row;
            }
        }
        throw new AssertionError("no panel titled '" + title + "...'");
    }

    private static List<String> exprs(JsonNode panel) {
        List<String> out = new ArrayList<>();
        panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
        return out;
    }
}
