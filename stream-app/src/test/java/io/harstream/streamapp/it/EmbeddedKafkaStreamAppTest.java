package io.harstream.streamapp.it;

import io.harstream.core.event.SensorEvent;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.metrics.HarMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream-app against a real KRaft broker in this JVM. */
class EmbeddedKafkaStreamAppTest {

    @RegisterExtension
    static final EmbeddedBroker KAFKA = new EmbeddedBroker();

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void manyDevicesOverSeveralPartitionsAndThreadsArePredictedExactlyOnce() throws Exception {
        ManyDevicesScenario.run(KAFKA.bootstrapServers(), stateDir);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void whileKafkaIsAwayItIsAliveButNotReady() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> settings = ManyDevicesScenario.settings("127.0.0.1:" + closedPort, "no-kafka", "a", "b",
                "c", stateDir, 1);
        HttpClient http = HttpClient.newHttpClient();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger checkLogger = (Logger) LoggerFactory.getLogger("io.harstream.streamapp.KafkaStartupCheck");
        checkLogger.addAppender(log);
        log.start();
        try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), TestModels.untrained())) {
            String expected = "waiting for Kafka at 127.0.0.1:" + closedPort;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (log.list.stream().noneMatch(e -> e.getFormattedMessage().startsWith(expected))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).startsWith(expected).contains("retrying in"));
            assertThat(app.state()).isEqualTo("WAITING_FOR_KAFKA");
            assertThat(ManyDevicesScenario.get(http, app, "/health").statusCode()).isEqualTo(200);
            var ready = ManyDevicesScenario.get(http, app, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("WAITING_FOR_KAFKA");
        } finally {
            checkLogger.detachAppender(log);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void itStartsOnceItsTopicsAppear() throws Exception {
        Map<String, String> settings = ManyDevicesScenario.settings(KAFKA.bootstrapServers(), "late-topics",
                "late-in", "late-out", "late-dlq", stateDir, 1);
        try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), TestModels.untrained())) {
            Thread.sleep(2_000);
            assertThat(app.state()).isEqualTo("WAITING_FOR_KAFKA");
            KafkaTestClients.createTopics(KAFKA.bootstrapServers(), 1, "late-in", "late-out", "late-dlq");
            ManyDevicesScenario.awaitReady(app, Duration.ofSeconds(90));
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void windowsPendingAtAGracefulShutdownArePredictedOnceAfterTheRestart() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        KafkaTestClients.createTopics(bootstrap, 1, "restart-in", "restart-out", "restart-dlq");
        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "restart", "restart-in",
                "restart-out", "restart-dlq", stateDir, 1);
        settings.put("batch.size", "1000");
        settings.put("batch.max.delay.ms", "600000");
        List<SensorEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(new SensorEvent("d", 1_764_000_000_000L + 50L * i, i, 9.8f, -i, "Walking"));
        }
        try (KafkaTestClients.CommittedReader predictions = new KafkaTestClients.CommittedReader(bootstrap,
                "restart-out")) {
            try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), TestModels.untrained());
                 KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
                ManyDevicesScenario.awaitReady(app, Duration.ofSeconds(90));
                KafkaTestClients.send(producer, "restart-in", events);
                var accepted = app.registry().get(HarMetrics.EVENTS).tag("outcome", "accepted").counter();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (accepted.count() < 10 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(accepted.count()).isEqualTo(10);
            }
            predictions.pollUntil(() -> false, Duration.ZERO, Duration.ofSeconds(2));
            assertThat(predictions.count()).as("the window waits for its batch, across the shutdown").isZero();

            settings.put("batch.max.delay.ms", "100");
            try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), TestModels.untrained())) {
                predictions.pollUntil(() -> predictions.count() >= 1, Duration.ofSeconds(90), Duration.ofSeconds(2));
                assertThat(predictions.predictions()).singleElement()
                        .satisfies(p -> assertThat(p.windowStart()).isEqualTo(1_764_000_000_000L));
                assertThat(app.registry().get(HarMetrics.EVENTS).tag("outcome", "accepted").counter().count())
                        .as("no event was processed twice").isZero();
            }
        }
    }
}
