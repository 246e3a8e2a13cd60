package io.harstream.streamapp.metrics;

import io.harstream.core.event.RejectReason;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.topology.TopologyFixture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus text as scraped: the exact series names and labels the dashboards and alerts query. */
class MetricsExpositionTest {

    private TopologyFixture app;

    @BeforeEach
    void start() {
        app = new TopologyFixture(TestModels.untrained(), 256);
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void everySeriesExistsAtZeroBeforeTheFirstEvent() {
        String scrape = app.registry.scrape();
        for (String outcome : new String[] {"accepted", "rejected", "duplicate", "late"}) {
            assertThat(scrape).contains("har_events_total{outcome=\"" + outcome + "\"} 0.0");
        }
        for (RejectReason r : RejectReason.values()) {
            assertThat(scrape).contains("har_dead_letters_total{reason=\"" + r.id() + "\"} 0.0");
        }
        assertThat(scrape).contains("har_series_restarts_total{reason=\"gap\"} 0.0",
                "har_series_restarts_total{reason=\"step_back\"} 0.0");
        for (String actual : concatUnknown()) {
            for (String predicted : TestModels.CLASSES) {
                assertThat(scrape).contains("har_predictions_total{actual=\"" + actual + "\",model_version=\""
                        + app.bundle.manifest().modelVersion() + "\",predicted=\"" + predicted
                        + "\",role=\"active\",stage=\"raw\"} 0.0");
            }
        }
        assertThat(scrape).contains("har_model_info{classes=\"Walking,Jogging,Upstairs,Downstairs,Sitting,Standing\","
                + "role=\"active\",version=\"" + app.bundle.manifest().modelVersion() + "\"} 1");
        assertThat(scrape).contains("har_model_swaps_total{outcome=\"activated\"} 0.0",
                "har_model_swaps_total{outcome=\"candidate\"} 0.0", "har_model_swaps_total{outcome=\"refused\"} 0.0",
                "har_shadow_agreement_total{agree=\"true\"} 0.0", "har_shadow_agreement_total{agree=\"false\"} 0.0");
        assertThat(scrape).contains("# TYPE har_inference_batch_seconds histogram",
                "har_inference_batch_seconds_bucket{le=\"0.01\"} 0",
                "# TYPE har_inference_batch_size histogram",
                "har_inference_batch_size_bucket{le=\"256.0\"} 0",
                "# TYPE har_event_to_prediction_seconds histogram",
                "har_event_to_prediction_seconds_bucket{le=\"0.1\"} 0",
                "har_event_to_prediction_seconds_count 0");
        assertThat(scrape).doesNotContain("device=");
    }

    @Test
    void countsShowUpUnderTheirLabels() {
        app.sendSeries("d", 1_764_000_000_000L, 10, "Walking");
        app.send(TopologyFixture.event("d", 1_764_000_000_000L + 450, 9, "Walking"));
        app.sendRaw("x", "{}".getBytes(StandardCharsets.UTF_8), 0, new RecordHeaders());
        app.closeBatch();
        String predicted = app.readPredictions().get(0).predicted();

        String scrape = app.registry.scrape();
        assertThat(scrape).contains("har_events_total{outcome=\"accepted\"} 10.0",
                "har_events_total{outcome=\"duplicate\"} 1.0",
                "har_events_total{outcome=\"rejected\"} 1.0",
                "har_dead_letters_total{reason=\"missing_field\"} 1.0",
                "har_predictions_total{actual=\"Walking\",model_version=\"" + app.bundle.manifest().modelVersion()
                        + "\",predicted=\"" + predicted + "\",role=\"active\",stage=\"raw\"} 1.0",
                "har_inference_batch_seconds_count 1",
                "har_inference_batch_size_bucket{le=\"1.0\"} 1",
                "har_inference_batch_size_sum 1.0",
                "har_event_to_prediction_seconds_count 1");
    }

    private static List<String> concatUnknown() {
        List<String> l = new ArrayList<>(TestModels.CLASSES);
        l.add("unknown");
        return l;
    }
}
