package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prometheus/: the config and rules pass promtool's checks, the promtool unit tests pass, every alert
 * has a firing and a quiet test, every recording rule is tested, and the PromQL the dashboard and the
 * alerts use is well-formed and refers only to recorded series that exist.
 */
class PrometheusRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Tools.ROOT;
    /** A recorded series name (level:metric:operation). */
    private static final Pattern RECORDED_NAME = Pattern.compile("\\bhar:[a-z0-9_]+:[a-z0-9_]+\\b");

    @Test
    void configIsValid() {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Result r = Tools.run(List.of(promtool.toString(), "check", "config", "prometheus/prometheus.yml"), ROOT);
        assertThat(r.exitCode()).as("promtool check config\n%s", r).isZero();
        assertThat(r.output()).contains("SUCCESS").contains("2 rule files found");
    }

    @Test
    void rulesAreValid() {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Result r = Tools.run(List.of(promtool.toString(), "check", "rules",
                PromQueries.RECORDING_RULES, PromQueries.ALERT_RULES), ROOT);
        assertThat(r.exitCode()).as("promtool check rules\n%s", r).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
    }

    @Test
    void promtoolUnitTestsPass() throws IOException {
        Path promtool = Tools.require("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        List<String> testFiles = testFiles().stream().map(p -> ROOT.relativize(p).toString()).toList();
        assertThat(testFiles).hasSizeGreaterThanOrEqualTo(2);
        cmd.addAll(testFiles);
        Tools.Result r = Tools.run(cmd, ROOT);
        assertThat(r.exitCode()).as("promtool test rules\n%s", r).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
    }

    /**
     * PromQL syntax of every dashboard target and annotation, variables substituted, checked by promtool as a
     * throwaway recording rule each.
     */
    @Test
    void dashboardExpressionsParse(@TempDir Path tmp) throws IOException {
        Path promtool = Tools.require("promtool", "prometheus");
        List<PromQuery> dashboard = new ArrayList<>(PromQueries.dashboards(ROOT));
        dashboard.addAll(PromQueries.annotations(ROOT));
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboard-syntax-check\n    rules:\n");
        for (int i = 0; i < dashboard.size(); i++) {
            yaml.append("      - record: dashboard_check_").append(i).append('\n')
                // A JSON string is a valid YAML double-quoted scalar.
                .append("        expr: ").append(JSON.writeValueAsString(dashboard.get(i).exprForPrometheus())).append('\n');
        }
        Path file = tmp.resolve("dashboard-exprs.yml");
        Files.writeString(file, yaml);
        Tools.Result r = Tools.run(List.of(promtool.toString(), "check", "rules", file.toString()), ROOT);
        assertThat(r.exitCode()).as("dashboard PromQL does not parse:\n%s\n%s", r, yaml).isZero();
        assertThat(r.output()).contains("SUCCESS: " + dashboard.size() + " rules found");
    }

    /**
     * Every alert says where to read what to do: a runbook_url to a section of docs/runbooks.md that exists
     * (its heading is the alert's name), and a description.
     */
    @Test
    void everyAlertHasARunbookSection() throws IOException {
        String runbooks = Files.readString(ROOT.resolve("docs/runbooks.md"));
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^## (\\S+)\\s*$").matcher(runbooks);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        int alerts = 0;
        for (JsonNode group : YAML.readTree(ROOT.resolve(PromQueries.ALERT_RULES).toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.has("alert")) {
                    continue;
                }
                alerts++;
                String name = rule.path("alert").asText();
                JsonNode annotations = rule.path("annotations");
                assertThat(annotations.path("runbook_url").asText()).as("runbook_url of %s", name)
                        .isEqualTo("docs/runbooks.md#" + name.toLowerCase(java.util.Locale.ROOT));
                assertThat(anchors).as("sections of docs/runbooks.md").contains(name.toLowerCase(java.util.Locale.ROOT));
                assertThat(annotations.path("description").asText()).as("description of %s", name).isNotBlank();
            }
        }
        assertThat(alerts).isEqualTo(PromQueries.alertRules(ROOT).size());
    }

    /** The accuracy alert compares with the model's own offline figure, not a constant. */
    @Test
    void accuracyAlertIsRelativeToTheOfflineFigure() {
        PromQuery alert = PromQueries.alertRules(ROOT).stream().filter(q -> q.name().equals("HarAccuracyLow"))
                .findFirst().orElseThrow();
        assertThat(alert.expr()).contains("har:model_offline_accuracy:min - 0.10").contains("on ()");
        assertThat(PromQueries.recordingRules(ROOT)).anySatisfy(q -> {
            assertThat(q.name()).isEqualTo("har:model_offline_accuracy:min");
            assertThat(q.expr()).contains("har_model_offline_accuracy_ratio{figure=\"test\", role!=\"candidate\"}");
        });
    }

    @Test
    void everyAlertHasAFiringAndAQuietTest() throws IOException {
        Set<String> alerts = new TreeSet<>(PromQueries.alertRules(ROOT).stream().map(PromQuery::name).toList());
        assertThat(alerts).contains("HarStreamAppDown", "HarAccuracyLow", "HarNoPredictions",
                "HarDeadLetterRateHigh", "HarConsumerLagHigh");
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode art : test.path("alert_rule_test")) {
                    String name = art.path("alertname").asText();
                    (art.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
                }
            }
        }
        assertThat(firing).as("alerts with a promtool test where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a promtool test where they stay quiet").containsAll(alerts);
    }

    @Test
    void everyRecordingRuleHasAnExpressionTest() throws IOException {
        Set<String> recorded = new TreeSet<>();
        PromQueries.recordingRules(ROOT).forEach(q -> recorded.add(q.name().replaceFirst("\\{.*", "")));
        Set<String> tested = new HashSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode pet : test.path("promql_expr_test")) {
                    Matcher m = RECORDED_NAME.matcher(pet.path("expr").asText());
                    while (m.find()) {
                        tested.add(m.group());
                    }
                }
            }
        }
        assertThat(tested).as("recording rules checked by a promql_expr_test").containsAll(recorded);
    }

    /** Alerts and dashboard panels that read a recorded series read one that recording.yml defines. */
    @Test
    void recordedSeriesInUseAreDefined() {
        Set<String> recorded = new TreeSet<>();
        PromQueries.recordingRules(ROOT).forEach(q -> recorded.add(q.name().replaceFirst("\\{.*", "")));
        Set<String> used = new LinkedHashSet<>();
        Stream.concat(PromQueries.alertRules(ROOT).stream(), PromQueries.dashboards(ROOT).stream()).forEach(q -> {
            Matcher m = RECORDED_NAME.matcher(q.expr());
            while (m.find()) {
                used.add(m.group());
            }
        });
        assertThat(used).isNotEmpty();
        assertThat(recorded).containsAll(used);
    }

    /** Class names come from the data (WISDM v1.1, 2019, synthetic): no rule or panel may name one. */
    @Test
    void noClassNameIsHardCoded() {
        Pattern className = Pattern.compile("(?i)\\b(walking|jogging|upstairs|downstairs|stairs|sitting|standing)\\b");
        List<PromQuery> all = new ArrayList<>(PromQueries.all(ROOT));
        all.addAll(PromQueries.alertRules(ROOT));
        assertThat(all).isNotEmpty();
        assertThat(all).filteredOn(q -> className.matcher(q.expr()).find()).isEmpty();
    }

    @Test
    void scrapeConfigMatchesTheStreamApp() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("prometheus/prometheus.yml").toFile());
        JsonNode job = null;
        for (JsonNode sc : config.path("scrape_configs")) {
            if (sc.path("job_name").asText().equals("harstream")) {
                job = sc;
            }
        }
        assertThat(job).as("scrape job 'harstream'").isNotNull();
        assertThat(job.path("scrape_interval").asText()).isEqualTo("5s");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("stream-app:8080");
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(n -> ruleFiles.add(n.asText()));
        assertThat(ruleFiles).containsExactlyInAnyOrder("rules/recording.yml", "rules/alerts.yml");
        // The alerts name the same job.
        assertThat(PromQueries.alertRules(ROOT)).anySatisfy(q -> assertThat(q.expr()).contains("up{job=\"harstream\"}"));
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("prometheus/tests"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }
}
