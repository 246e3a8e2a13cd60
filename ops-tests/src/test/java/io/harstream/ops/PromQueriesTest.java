package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromQueriesTest {

    private static final Path ROOT = Tools.ROOT;

    @Test
    void repoRootIsFoundFromTheModuleDirectory() {
        assertThat(ROOT.resolve("prometheus/prometheus.yml")).exists();
        assertThat(ROOT.resolve("ops-tests/pom.xml")).exists();
        assertThat(PromQueries.repoRoot(ROOT.resolve("ops-tests"))).isEqualTo(ROOT);
        assertThat(PromQueries.repoRoot(ROOT)).isEqualTo(ROOT);
    }

    @Test
    void repoRootFailsClearlyOutsideTheRepository(@TempDir Path tmp) {
        assertThatThrownBy(() -> PromQueries.repoRoot(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prometheus/prometheus.yml");
    }

    @Test
    void allIsTheDashboardThenTheRecordingRules() {
        List<PromQuery> all = PromQueries.all(ROOT);
        List<PromQuery> dashboard = PromQueries.dashboards(ROOT);
        List<PromQuery> recording = PromQueries.recordingRules(ROOT);
        assertThat(dashboard).isNotEmpty().allMatch(q -> q.source().equals(PromQuery.DASHBOARD));
        assertThat(recording).isNotEmpty().allMatch(q -> q.source().equals(PromQuery.RECORDING_RULE));
        assertThat(all).hasSize(dashboard.size() + recording.size());
        assertThat(all.subList(0, dashboard.size())).isEqualTo(dashboard);
        assertThat(all).extracting(q -> q.source() + " " + q.name()).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(q -> assertThat(q.expr()).isNotBlank());
    }

    @Test
    void containsTheAccuracyRuleAndTheConfusionMatrix() {
        List<PromQuery> all = PromQueries.all(ROOT);
        assertThat(all).anySatisfy(q -> {
            assertThat(q.name()).isEqualTo("har:accuracy:ratio5m");
            assertThat(q.expr()).contains("and on (actual, predicted)").contains("actual!=\"unknown\"");
        });
        assertThat(PromQueries.dashboards(ROOT)).anySatisfy(q -> assertThat(q.expr())
                .startsWith("sum by (actual, predicted) (increase(har_predictions_total{"));
        // Rules with the same name but other static labels are told apart.
        assertThat(all).extracting(PromQuery::name)
                .contains("har:event_to_prediction_seconds:quantile5m{quantile=\"0.99\"}");
    }

    @Test
    void alertsAreSeparate() {
        assertThat(PromQueries.alertRules(ROOT)).extracting(PromQuery::name)
                .containsExactly("HarStreamAppDown", "HarAccuracyLow", "HarNoPredictions", "HarDeadLetterRateHigh",
                        "HarConsumerLagHigh", "HarExpectedAccuracyLow", "HarClassMixDrift", "HarInputGravityOff",
                        "HarInputFlatAxis", "HarInputRateOff", "HarModelRefused", "HarCandidateDisagreement");
    }

    @Test
    void grafanaVariablesBecomeConcreteForPrometheus() {
        PromQuery q = new PromQuery(PromQuery.DASHBOARD, "x",
                "rate(a{instance=~\"$instance\"}[$window]) + rate(b[${__interval}]) + increase(c{v=~\"[[model]]\"}[$__range])"
                        + " + d[$__rate_interval] + e[${window:text}] + f[$__range_s]");
        assertThat(q.exprForPrometheus()).isEqualTo("rate(a{instance=~\".*\"}[5m]) + rate(b[1m]) + increase(c{v=~\".*\"}[1h])"
                + " + d[1m] + e[5m] + f[3600]");
        Map<String, String> real = new HashMap<>(PromQuery.MATCH_ALL);
        real.put("instance", "127.0.0.1:8080");
        real.put("model", "m-1");
        assertThat(q.exprForPrometheus(real)).startsWith("rate(a{instance=~\"127.0.0.1:8080\"}[5m])").contains("v=~\"m-1\"");
        assertThat(new PromQuery(PromQuery.RECORDING_RULE, "y", "label_replace(a, \"b\", \"$1\", \"c\", \"(.*)\")")
                .exprForPrometheus()).contains("\"$1\"");
    }

    @Test
    void aVariableWithoutAValueFailsByName() {
        PromQuery q = new PromQuery(PromQuery.DASHBOARD, "x", "rate(a[$window]) + b{x=~\"$nosuch\"}");
        assertThatThrownBy(q::exprForPrometheus).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$nosuch");
    }

    @Test
    void annotationsAreSeparate() {
        List<PromQuery> annotations = PromQueries.annotations(ROOT);
        assertThat(annotations).isNotEmpty().allMatch(q -> q.source().equals(PromQuery.ANNOTATION));
        assertThat(PromQueries.all(ROOT)).noneMatch(q -> q.source().equals(PromQuery.ANNOTATION));
    }
}
