package io.harstream.demo;

import io.harstream.core.model.ModelBundle;
import io.harstream.simulator.TestSet;
import io.harstream.simulator.TestSetReader;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole pipeline in this JVM: a real KRaft broker, the stream-app and the simulator. */
class DemoTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void eventsFlowToPredictionsAndDeadLettersAndCloseLeavesNothingBehind() throws Exception {
        Path modelDir = DemoFixtures.modelDir(tmp.resolve("model"));
        ModelBundle bundle = ModelBundle.load(modelDir);
        TestSet testSet = TestSetReader.read(modelDir, null);
        DemoSettings settings = new DemoSettings(tmp.resolve("work"), 0, 2, 1, 20, 0, 3, 0.05, null, 0, List.of());

        Path runDir;
        int metricsPort;
        DemoSnapshot seen;
        try (Demo demo = Demo.start(settings, bundle, testSet)) {
            runDir = demo.runDirectory();
            metricsPort = demo.metricsPort();
            assertThat(runDir).isDirectory().startsWith(tmp.resolve("work").toAbsolutePath());
            assertThat(get(metricsPort, "/ready").statusCode()).isEqualTo(200);
            seen = awaitSnapshot(demo, s -> s.labelledPredictions() >= 20 && s.deadLetterTotal() > 0);
            assertThat(demo.failed()).isFalse();
            assertThat(seen.outcome(Outcome.ACCEPTED)).isPositive();
            assertThat(seen.unlabelled()).as("the synthetic events carry their activity").isZero();
            assertThat(seen.accuracy()).isEqualTo((double) seen.correctPredictions() / seen.labelledPredictions());
            assertThat(get(metricsPort, "/metrics").body()).contains("har_predictions_total{");
        }
        assertThat(runDir).as("Kafka log, stream state and Prometheus data are removed").doesNotExist();
        assertThatThrownBy(() -> get(metricsPort, "/health")).isInstanceOf(ConnectException.class);
    }

    @Test
    void startFailsCleanlyWhenTheMetricsPortIsTaken() throws Exception {
        Path modelDir = DemoFixtures.modelDir(tmp.resolve("model"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            DemoSettings settings = new DemoSettings(tmp.resolve("work"), taken.getLocalPort(), 1, 1, 1, 0, 1, 0,
                    null, 0, List.of());
            assertThatThrownBy(() -> Demo.start(settings, ModelBundle.load(modelDir), TestSetReader.read(modelDir, null)))
                    .isInstanceOf(RuntimeException.class);
        }
        try (var left = Files.list(tmp.resolve("work"))) {
            assertThat(left).as("the run directory of the failed start is gone").isEmpty();
        }
    }

    private static DemoSnapshot awaitSnapshot(Demo demo, java.util.function.Predicate<DemoSnapshot> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        DemoSnapshot s = demo.snapshot();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            s = demo.snapshot();
        }
        assertThat(done.test(s)).as("reached within 120 s: %s", s).isTrue();
        return s;
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
