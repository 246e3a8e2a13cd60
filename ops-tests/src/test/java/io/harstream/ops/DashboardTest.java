package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelAndTargetUsesTheProvisionedDatasource(Path file) throws IOException {
        String uid = datasourceUid();
        for (JsonNode panel : PromQueries.panels(JSON.readTree(file.toFile()))) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel '%s'", title).isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                // A target without its own datasource inherits the panel's.
                if (target.has("datasource")) {
                    assertThat(target.path("datasource").path("uid").asText())
                            .as("datasource of a target of panel '%s'", title).isEqualTo(uid);
                }
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

    /** The NxN confusion matrix: an instant table of the counters, turned into a matrix by Grafana. */
    @Test
    void confusionMatrixIsAGroupingToMatrixTable() throws IOException {
        JsonNode dash = JSON.readTree(ROOT.resolve("grafana/dashboards/harstream-overview.json").toFile());
        JsonNode matrix = PromQueries.panels(dash).stream()
                .filter(p -> p.path("title").asText().toLowerCase().contains("confusion matrix"))
                .findFirst().orElseThrow(() -> new AssertionError("no confusion matrix panel"));
        assertThat(matrix.path("type").asText()).isEqualTo("table");
        JsonNode target = matrix.path("targets").get(0);
        assertThat(target.path("expr").asText()).contains("har_predictions_total").contains("by (actual, predicted)")
                .contains("actual!=\"unknown\"");
        assertThat(target.path("format").asText()).isEqualTo("table");
        assertThat(target.path("instant").asBoolean()).isTrue();
        JsonNode transform = matrix.path("transformations").get(0);
        assertThat(transform.path("id").asText()).isEqualTo("groupingToMatrix");
        assertThat(transform.path("options").path("rowField").asText()).isEqualTo("actual");
        assertThat(transform.path("options").path("columnField").asText()).isEqualTo("predicted");
        assertThat(transform.path("options").path("valueField").asText()).isEqualTo("Value");
    }

    /** The panels the overview promises, by the series they read. */
    @Test
    void overviewShowsEveryFigure() {
        String all = String.join("\n", PromQueries.dashboards(ROOT).stream().map(PromQuery::expr).toList());
        assertThat(all).contains(
                "har:accuracy:ratio5m", "har:accuracy:ratio_cumulative",
                "har:class_recall:ratio5m", "har:class_precision:ratio5m",
                "har:class_recall:ratio_cumulative", "har:class_precision:ratio_cumulative",
                "har:events:rate1m", "har:predictions:rate1m", "har:dead_letters:rate1m",
                "har:inference_batch_seconds:quantile5m", "har:inference_batch_size:mean5m",
                "har:event_to_prediction_seconds:quantile5m", "har:consumer_lag_records:max",
                "har_model_info", "jvm_memory_used_bytes");
    }
}
