package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server (Debian's package) with this repository's rules, scraping a stand-in for the
 * stream-app: a loopback endpoint that serves every metric the stream-app exports, in Micrometer's text
 * format, with counters that grow at each scrape. Every rule must evaluate without error, and every
 * dashboard and recording-rule query ({@link PromQueries#all}) must return data, with the accuracy the
 * stand-in's counters imply.
 *
 * <p>The stand-in classifies, per scrape, each labelled class (Walking, Jogging, Sitting) 8 times right and
 * twice wrong, so accuracy is 24/30 = 0.8 at any time; and 3 unlabelled windows that must not count. Its model
 * scored 0.85 offline, so the relative accuracy alert stays quiet.
 *
 * <p>Dashboard queries run with the variables matching everything ({@link PromQuery#MATCH_ALL}); the
 * firing-alerts list is the one that rightly has no data here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusEngineTest {

    private static final List<String> CLASSES = List.of("Walking", "Jogging", "Sitting");

    private Path tmp;
    private HttpServer standIn;
    private PrometheusServer prometheus;
    private final AtomicLong scrapes = new AtomicLong();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        tmp = tempDir;
        Path binary = Tools.require("prometheus", "prometheus");
        standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        standIn.createContext("/metrics", exchange -> {
            byte[] body = exposition(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        standIn.start();

        prometheus = PrometheusServer.start(binary, tmp, standIn.getAddress().getPort());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (standIn != null) {
            standIn.stop(0);
        }
    }

    @Test
    void rulesEvaluateAndEveryQueryReturnsData() throws Exception {
        // Rate windows need two scrapes; rules then need one more evaluation.
        prometheus.waitFor("rules with data", Duration.ofSeconds(60),
                () -> !prometheus.query("har:inference_batch_size:mean5m").isEmpty()
                        && !prometheus.query("har:accuracy:ratio5m").isEmpty()
                        && !prometheus.query("har:events_rejected:ratio5m").isEmpty());
        Thread.sleep(2500); // one more evaluation round for every group

        // No rule failed to evaluate (wrong matching, duplicate series, ...).
        List<JsonNode> rules = prometheus.rules();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode rule : rules) {
            if (!rule.path("health").asText().equals("ok")) {
                unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
            }
        }
        assertThat(rules).hasSize(PromQueries.recordingRules(Tools.ROOT).size() + PromQueries.alertRules(Tools.ROOT).size());
        assertThat(unhealthy).as("rules with evaluation errors; Prometheus log:\n%s", prometheus.log()).isEmpty();

        List<String> empty = new ArrayList<>();
        for (PromQuery q : PromQueries.all(Tools.ROOT)) {
            if (prometheus.query(q.exprForPrometheus()).isEmpty() && !q.expr().startsWith("ALERTS{")) {
                empty.add(q.toString());
            }
        }
        assertThat(empty).as("queries without data").isEmpty();
        for (PromQuery q : PromQueries.annotations(Tools.ROOT)) {
            prometheus.query(q.exprForPrometheus()); // evaluates without error; a marker may rightly be absent
        }
        assertThat(prometheus.single("har:model_offline_accuracy:min")).isEqualTo(0.85);

        assertThat(PrometheusServer.value(prometheus.query("har:accuracy:ratio_cumulative").get(0))).isEqualTo(0.8);
        assertThat(prometheus.single("har:expected_accuracy:ratio_cumulative")).isCloseTo(0.8, within(1e-9));
        assertThat(prometheus.single("har:class_mix_drift:js15m")).as("the mix is the prior").isCloseTo(0, within(1e-6));
        assertThat(PrometheusServer.value(prometheus.query("har:accuracy:ratio5m").get(0))).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        List<JsonNode> recall = prometheus.query("har:class_recall:ratio_cumulative");
        assertThat(recall).hasSize(CLASSES.size());
        assertThat(recall).allSatisfy(s -> assertThat(PrometheusServer.value(s)).isEqualTo(0.8));
        // The confusion matrix has one cell per labelled class pair.
        assertThat(prometheus.query("sum by (actual, predicted) (har_predictions_total{actual!=\"unknown\"})")).hasSize(CLASSES.size() * CLASSES.size());
        assertThat(prometheus.query("har_predictions_total{stage=\"smoothed\"}")).hasSize(4 * CLASSES.size());
        assertThat(prometheus.query("har_model_info{role=\"active\"}").get(0).path("metric").path("version").asText())
                .isEqualTo("test-1");
        // Per model version and role: the active model's 0.8, and the candidate's own 1.0 beside it.
        assertThat(prometheus.query("har:model_accuracy:ratio15m")).hasSize(2);

        // Nothing alarming in the stand-in's figures: no alert pending or firing.
        assertThat(prometheus.query("ALERTS")).as("alerts").isEmpty();
    }

    /** The stand-in's /metrics at the n-th scrape, in the Prometheus text format Micrometer writes. */
    private static String exposition(long n) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP har_events_total Sensor events by outcome\n# TYPE har_events_total counter\n");
        sb.append(line("har_events_total{outcome=\"accepted\"}", 200.0 * n));
        sb.append(line("har_events_total{outcome=\"rejected\"}", 2.0 * n));
        sb.append(line("har_events_total{outcome=\"duplicate\"}", 1.0 * n));
        sb.append(line("har_events_total{outcome=\"late\"}", 0));
        sb.append("# TYPE har_predictions_total counter\n");
        for (String actual : List.of("Walking", "Jogging", "Sitting", "unknown")) {
            for (int p = 0; p < CLASSES.size(); p++) {
                String predicted = CLASSES.get(p);
                double perScrape;
                if (actual.equals("unknown")) {
                    perScrape = 1;
                } else if (actual.equals(predicted)) {
                    perScrape = 8;
                } else {
                    perScrape = 1; // two wrong per class: one into each other class
                }
                sb.append(line("har_predictions_total{actual=\"" + actual + "\",model_version=\"test-1\",predicted=\""
                        + predicted + "\",role=\"active\",stage=\"raw\"}", perScrape * n));
                // A candidate in the shadow, right on every labelled window: the figures above are the written
                // predictions', so its counts must not reach them.
                double candidate = actual.equals("unknown") ? 1 : actual.equals(predicted) ? 10 : 0;
                sb.append(line("har_predictions_total{actual=\"" + actual + "\",model_version=\"test-2\",predicted=\""
                        + predicted + "\",role=\"candidate\",stage=\"raw\"}", candidate * n));
                // The same windows after the smoother: every labelled one right. The figures (0.8 above) are the
                // network's, so these must not count in them; the dashboard shows them beside.
                double smoothed = actual.equals("unknown") ? 1 : actual.equals(predicted) ? 10 : 0;
                sb.append(line("har_predictions_total{actual=\"" + actual + "\",model_version=\"test-1\",predicted=\""
                        + predicted + "\",role=\"active\",stage=\"smoothed\"}", smoothed * n));
            }
        }
        sb.append("# TYPE har_dead_letters_total counter\n");
        for (String reason : List.of("malformed_json", "missing_field", "wrong_type", "non_finite", "out_of_range",
                "key_mismatch", "unknown_activity", "oversized")) {
            sb.append(line("har_dead_letters_total{reason=\"" + reason + "\"}", reason.equals("malformed_json") ? 2.0 * n : 0));
        }
        sb.append("# TYPE har_series_restarts_total counter\n");
        sb.append(line("har_series_restarts_total{reason=\"gap\"}", 1.0 * n));
        sb.append(line("har_series_restarts_total{reason=\"step_back\"}", 0));
        histogram(sb, "har_inference_batch_seconds", new double[] {0.001, 0.005, 0.01, 0.05, 0.1}, new double[] {0, 2, 6, 8, 8}, 8, 0.06, n);
        histogram(sb, "har_inference_batch_size", new double[] {1, 4, 16, 64}, new double[] {0, 2, 8, 8}, 8, 27, n);
        histogram(sb, "har_event_to_prediction_seconds", new double[] {0.05, 0.1, 0.5, 1, 5}, new double[] {1, 10, 25, 27, 27}, 27, 6.1, n);
        // Label-free quality: each predicted class gets 11 raw windows a scrape (8 right, one from each other class,
        // one unlabelled), with top probabilities averaging 0.8; a uniform prior (so the mix equals it: drift 0); of
        // the 33 windows checked a scrape, one spans the wrong time.
        sb.append("# TYPE har_prediction_confidence histogram\n");
        for (String predicted : CLASSES) {
            String p = "predicted=\"" + predicted + "\"";
            sb.append(line("har_prediction_confidence_bucket{" + p + ",le=\"0.5\"}", 1.0 * n));
            sb.append(line("har_prediction_confidence_bucket{" + p + ",le=\"0.8\"}", 5.0 * n));
            sb.append(line("har_prediction_confidence_bucket{" + p + ",le=\"1.0\"}", 11.0 * n));
            sb.append(line("har_prediction_confidence_bucket{" + p + ",le=\"+Inf\"}", 11.0 * n));
            sb.append(line("har_prediction_confidence_count{" + p + "}", 11.0 * n));
            sb.append(line("har_prediction_confidence_sum{" + p + "}", 8.8 * n));
        }
        sb.append("# TYPE har_model_class_prior_ratio gauge\n");
        for (String c : CLASSES) {
            sb.append(line("har_model_class_prior_ratio{class=\"" + c + "\",role=\"active\",version=\"test-1\"}", 1.0 / CLASSES.size()));
        }
        sb.append("# TYPE har_windows_checked_total counter\n");
        sb.append(line("har_windows_checked_total", 33.0 * n));
        sb.append("# TYPE har_window_problems_total counter\n");
        sb.append(line("har_window_problems_total{kind=\"gravity_off\"}", 0));
        sb.append(line("har_window_problems_total{kind=\"flat_axis\"}", 0));
        sb.append(line("har_window_problems_total{kind=\"rate_off\"}", 1.0 * n));
        sb.append("# TYPE har_model_info gauge\n");
        sb.append(line("har_model_info{classes=\"Walking,Jogging,Sitting\",role=\"active\",version=\"test-1\"}", 1));
        sb.append(line("har_model_info{classes=\"Walking,Jogging,Sitting\",role=\"candidate\",version=\"test-2\"}", 1));
        sb.append("# TYPE har_model_offline_accuracy_ratio gauge\n");
        sb.append(line("har_model_offline_accuracy_ratio{figure=\"test\",role=\"active\",version=\"test-1\"}", 0.85));
        sb.append(line("har_model_offline_accuracy_ratio{figure=\"cv_mean\",role=\"active\",version=\"test-1\"}", 0.83));
        // The candidate's own figure, lower: the active model's reference must not take it.
        sb.append(line("har_model_offline_accuracy_ratio{figure=\"test\",role=\"candidate\",version=\"test-2\"}", 0.84));
        sb.append("# TYPE har_model_offline_macro_f1_ratio gauge\n");
        sb.append(line("har_model_offline_macro_f1_ratio{figure=\"test\",role=\"active\",version=\"test-1\"}", 0.84));
        sb.append(line("har_model_offline_macro_f1_ratio{figure=\"cv_mean\",role=\"active\",version=\"test-1\"}", 0.82));
        sb.append("# TYPE har_model_swaps_total counter\n");
        sb.append(line("har_model_swaps_total{outcome=\"activated\"}", 0));
        sb.append(line("har_model_swaps_total{outcome=\"candidate\"}", 1));
        sb.append(line("har_model_swaps_total{outcome=\"refused\"}", 0));
        // The candidate agrees on 25 of 30 windows a scrape: within what the offline figures allow.
        sb.append("# TYPE har_shadow_agreement_total counter\n");
        sb.append(line("har_shadow_agreement_total{agree=\"true\"}", 25.0 * n));
        sb.append(line("har_shadow_agreement_total{agree=\"false\"}", 5.0 * n));
        sb.append("# TYPE process_start_time_seconds gauge\n");
        sb.append(line("process_start_time_seconds", 1.764e9));
        sb.append("# TYPE kafka_consumer_fetch_manager_records_lag_max gauge\n");
        sb.append(line("kafka_consumer_fetch_manager_records_lag_max{client_id=\"harstream-StreamThread-1-consumer\",kafka_version=\"3.9.0\",spring_id=\"\"}", 42));
        sb.append(line("kafka_consumer_fetch_manager_records_lag_max{client_id=\"harstream-StreamThread-1-restore-consumer\",kafka_version=\"3.9.0\",spring_id=\"\"}", Double.NaN));
        sb.append("# TYPE kafka_consumer_fetch_manager_records_lag gauge\n");
        sb.append(line("kafka_consumer_fetch_manager_records_lag{client_id=\"harstream-StreamThread-1-consumer\",kafka_version=\"3.9.0\",partition=\"0\",spring_id=\"\",topic=\"sensor-events\"}", 7));
        sb.append("# TYPE kafka_stream_thread_process_rate gauge\n");
        sb.append(line("kafka_stream_thread_process_rate{kafka_version=\"3.9.0\",spring_id=\"\",thread_id=\"harstream-StreamThread-1\"}", 180.5));
        for (String ratio : List.of("process", "commit", "poll")) {
            sb.append("# TYPE kafka_stream_thread_").append(ratio).append("_ratio gauge\n");
            sb.append(line("kafka_stream_thread_" + ratio + "_ratio{kafka_version=\"3.9.0\",spring_id=\"\",thread_id=\"harstream-StreamThread-1\"}", 0.3));
        }
        sb.append("# TYPE jvm_memory_used_bytes gauge\n");
        sb.append(line("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}", 5.0e7));
        sb.append(line("jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"}", 3.0e7));
        sb.append("# TYPE jvm_gc_pause_seconds summary\n");
        sb.append(line("jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"}", n));
        sb.append(line("jvm_gc_pause_seconds_sum{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"}", 0.004 * n));
        sb.append("# TYPE process_cpu_usage gauge\n");
        sb.append(line("process_cpu_usage", 0.25));
        return sb.toString();
    }

    /** A histogram whose buckets grow by {@code perScrape[i]} (cumulative) each scrape. */
    private static void histogram(StringBuilder sb, String name, double[] le, double[] perScrape, double countPerScrape,
                                  double sumPerScrape, long n) {
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < le.length; i++) {
            sb.append(line(name + "_bucket{le=\"" + le[i] + "\"}", perScrape[i] * n));
        }
        sb.append(line(name + "_bucket{le=\"+Inf\"}", countPerScrape * n));
        sb.append(line(name + "_count", countPerScrape * n));
        sb.append(line(name + "_sum", sumPerScrape * n));
    }

    private static String line(String series, double value) {
        String v = Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%s", value);
        return series + " " + v + "\n";
    }
}
