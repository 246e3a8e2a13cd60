package io.harstream.streamapp.it;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.registry.ModelRegistry;
import io.harstream.registry.RegistryTarget;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.replay.Confusion;
import io.harstream.streamapp.replay.Replay;
import io.harstream.streamapp.replay.SyntheticRecordings;
import io.harstream.streamapp.replay.WindowKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model lifecycle against the in-JVM broker, published, promoted and refused as a user does it (the registry's
 * {@link ModelRegistry}, what {@code ./harstream models} runs):
 * <ul>
 *   <li>two instances: a candidate classifies in the shadow of the active model on both, a garbage record is refused
 *       on both, then the candidate is promoted mid-stream and both switch: every window is predicted exactly once,
 *       by the model its record names, as that model predicts it offline; each device's records change version at
 *       one point; the counters per version add up to the records; the shadow topic holds the candidate's prediction
 *       of exactly the windows the old active model predicted, as the candidate predicts them offline;</li>
 *   <li>a kill -9 right after a publish, and a restart with the old {@code --model}: exactly once, and the restarted
 *       instance serves the version the topic says;</li>
 *   <li>without {@code --model}, the app is not ready and says it waits for an active model until one is published.</li>
 * </ul>
 */
class LiveModelSwapTest {

    private static final int PARTITIONS = 4;

    @RegisterExtension
    static final EmbeddedBroker KAFKA = new EmbeddedBroker();

    @TempDir
    Path dir;

    private final ModelBundle first = TestModels.trained();
    private final ModelBundle second = TestModels.untrained();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoInstancesShadowThenSwitchAtOnePointPerDeviceExactlyOnce() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        String in = "swap-events";
        String out = "swap-predictions";
        String dlq = "swap-dlq";
        String shadowTopic = "swap-shadow";
        String models = "swap-models";
        KafkaTestClients.createTopics(bootstrap, PARTITIONS, in, out, dlq, shadowTopic);
        Path secondDir = dir.resolve("second");
        second.save(secondDir);
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 24, 120, 5));
        Map<WindowKey, String> byFirst = replay.offline(first).predicted();
        Map<WindowKey, String> bySecond = replay.offline(second).predicted();
        List<SensorEvent> events = replay.events();
        ModelRegistry registry = new ModelRegistry(new RegistryTarget(bootstrap, models, Map.of(),
                Duration.ofSeconds(30)));

        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "swap-app", in, out, dlq, dir, 1);
        settings.put("models.topic", models);
        settings.put("shadow.topic", shadowTopic);
        try (RunningStreamApp a = StreamApp.start(instance(settings, "a"), first);
             RunningStreamApp b = StreamApp.start(instance(settings, "b"), first);
             KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap);
             KafkaTestClients.CommittedReader predictions = new KafkaTestClients.CommittedReader(bootstrap, out);
             KafkaTestClients.CommittedReader shadow = new KafkaTestClients.CommittedReader(bootstrap, shadowTopic)) {
            ManyDevicesScenario.awaitReady(a, Duration.ofSeconds(120));
            ManyDevicesScenario.awaitReady(b, Duration.ofSeconds(120));
            String v1 = first.manifest().modelVersion();
            String v2 = registry.publish(secondDir, ModelRole.CANDIDATE).version();
            awaitOn(List.of(a, b), app -> count(app, HarMetrics.SwapOutcome.CANDIDATE) == 1, "the candidate");
            producer.send(new ProducerRecord<>(models, ModelsTopic.bundleKey("garbage"), new byte[] {1, 2, 3})).get();
            awaitOn(List.of(a, b), app -> count(app, HarMetrics.SwapOutcome.REFUSED) == 1, "the refusal");

            int half = events.size() / 2;
            KafkaTestClients.send(producer, in, events.subList(0, half));
            predictions.pollUntil(() -> predictions.count() >= byFirst.size() / 3, Duration.ofSeconds(120),
                    Duration.ZERO);
            long promoted = System.nanoTime();
            registry.promote(v2);
            awaitOn(List.of(a, b), app -> app.bundle().manifest().modelVersion().equals(v2), "the promotion");
            System.out.printf("SWAP: promote -> both instances serving in %d ms%n",
                    (System.nanoTime() - promoted) / 1_000_000);
            KafkaTestClients.send(producer, in, events.subList(half, events.size()));
            predictions.pollUntil(() -> predictions.count() >= byFirst.size(), Duration.ofSeconds(180),
                    Duration.ofSeconds(3));
            shadow.pollUntil(() -> false, Duration.ZERO, Duration.ofSeconds(1));

            List<ActivityPrediction> written = predictions.predictions();
            assertExactlyOnceByTheirModel(written, byFirst, Map.of(v1, byFirst, v2, bySecond));
            assertThat(written).extracting(ActivityPrediction::modelVersion).contains(v1, v2);
            List<ActivityPrediction> byV1 = written.stream().filter(p -> p.modelVersion().equals(v1)).toList();
            List<ActivityPrediction> byV2 = written.stream().filter(p -> p.modelVersion().equals(v2)).toList();
            assertThat(predictions(a, v1, "active") + predictions(b, v1, "active")).isEqualTo(byV1.size());
            assertThat(predictions(a, v2, "active") + predictions(b, v2, "active")).isEqualTo(byV2.size());

            // The shadow: the candidate's predictions of exactly the windows the old active model predicted.
            List<ActivityPrediction> shadowed = shadow.predictions();
            assertThat(shadowed).allMatch(p -> p.modelVersion().equals(v2));
            Map<WindowKey, String> shadowByWindow = new HashMap<>();
            shadowed.forEach(p -> assertThat(shadowByWindow.put(new WindowKey(p.device(), p.windowStart()),
                    p.predicted())).as("shadowed once").isNull());
            Map<WindowKey, String> activeBefore = new HashMap<>();
            byV1.forEach(p -> activeBefore.put(new WindowKey(p.device(), p.windowStart()), p.predicted()));
            assertThat(shadowByWindow.keySet()).isEqualTo(activeBefore.keySet());
            shadowByWindow.forEach((k, predicted) -> assertThat(predicted).isEqualTo(bySecond.get(k)));
            Confusion candidate = Confusion.of(shadowed);
            Confusion counted = new Confusion();
            for (RunningStreamApp app : List.of(a, b)) {
                app.registry().find(HarMetrics.PREDICTIONS).tags("model_version", v2, "role", "candidate")
                        .counters().forEach(c -> {
                            for (int i = 0; i < (long) c.count(); i++) {
                                counted.add(unknownAsNull(c.getId().getTag("actual")), c.getId().getTag("predicted"));
                            }
                        });
            }
            assertThat(counted).isEqualTo(candidate);
            long agree = activeBefore.entrySet().stream().filter(e -> e.getValue().equals(shadowByWindow.get(e.getKey())))
                    .count();
            assertThat(agreement(a, true) + agreement(b, true)).isEqualTo(agree);
            assertThat(agreement(a, false) + agreement(b, false)).isEqualTo(byV1.size() - agree);
            for (RunningStreamApp app : List.of(a, b)) {
                assertThat(count(app, HarMetrics.SwapOutcome.ACTIVATED)).isEqualTo(1);
                assertThat(count(app, HarMetrics.SwapOutcome.REFUSED)).isEqualTo(1);
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aKillDuringASwapLosesAndRepeatsNothingAndTheRestartServesTheTopicsVersion() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        String in = "kill-events";
        String out = "kill-predictions";
        String dlq = "kill-dlq";
        String models = "kill-models";
        KafkaTestClients.createTopics(bootstrap, PARTITIONS, in, out, dlq);
        Path firstDir = dir.resolve("first");
        Path secondDir = dir.resolve("second");
        first.save(firstDir);
        second.save(secondDir);
        Replay replay = Replay.concurrent(SyntheticRecordings.generate(TestModels.CLASSES, 16, 240, 9), 40);
        Map<WindowKey, String> byFirst = replay.offline(first).predicted();
        Map<WindowKey, String> bySecond = replay.offline(second).predicted();
        String v1 = first.manifest().modelVersion();
        String v2 = second.manifest().modelVersion();
        ModelRegistry registry = new ModelRegistry(new RegistryTarget(bootstrap, models, Map.of(),
                Duration.ofSeconds(30)));

        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "kill-app", in, out, dlq,
                dir.resolve("state"), 1);
        settings.put("models.topic", models);
        settings.put("model.bundle", firstDir.toString());
        try (KafkaTestClients.CommittedReader predictions = new KafkaTestClients.CommittedReader(bootstrap, out)) {
            Thread producer;
            try (StreamAppProcess app = StreamAppProcess.start(settings, dir.resolve("first.log"))) {
                app.awaitReady(Duration.ofSeconds(120));
                long startMs = System.currentTimeMillis();
                producer = new Thread(() -> FailoverTest.produceLive(bootstrap, in, replay.events(), startMs));
                producer.start();
                predictions.pollUntil(() -> predictions.count() >= byFirst.size() / 4, Duration.ofSeconds(60),
                        Duration.ZERO);
                registry.publish(secondDir, ModelRole.ACTIVE);
                Thread.sleep(150);
                app.kill();
            }
            try (StreamAppProcess restarted = StreamAppProcess.start(settings, dir.resolve("restarted.log"))) {
                restarted.awaitReady(Duration.ofSeconds(120));
                assertThat(readyBody(restarted)).contains("model " + v2);
                predictions.pollUntil(() -> predictions.count() >= byFirst.size(), Duration.ofSeconds(180),
                        Duration.ofSeconds(3));
                producer.join(Duration.ofSeconds(30).toMillis());
            }
            List<ActivityPrediction> written = predictions.predictions();
            assertExactlyOnceByTheirModel(written, byFirst, Map.of(v1, byFirst, v2, bySecond));
            assertThat(written.get(written.size() - 1).modelVersion()).isEqualTo(v2);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void withoutAModelItWaitsUnreadyForTheTopicsActiveModel() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        KafkaTestClients.createTopics(bootstrap, 1, "wait-events", "wait-predictions", "wait-dlq");
        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "wait-app", "wait-events",
                "wait-predictions", "wait-dlq", dir, 1);
        settings.put("models.topic", "wait-models");
        Path firstDir = dir.resolve("first");
        first.save(firstDir);
        HttpClient http = HttpClient.newHttpClient();
        try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), null)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> ready = ManyDevicesScenario.get(http, app, "/ready");
            while (!ready.body().contains("waiting for an active model on wait-models") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                ready = ManyDevicesScenario.get(http, app, "/ready");
            }
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("waiting for an active model on wait-models");
            Thread.sleep(2_000);
            assertThat(app.isReady()).as("ready without a model").isFalse();
            assertThat(app.bundle()).isNull();

            new ModelRegistry(new RegistryTarget(bootstrap, "wait-models", Map.of(), Duration.ofSeconds(30)))
                    .publish(firstDir, ModelRole.ACTIVE);
            ManyDevicesScenario.awaitReady(app, Duration.ofSeconds(120));
            assertThat(app.bundle().manifest().modelVersion()).isEqualTo(first.manifest().modelVersion());
            assertThat(ManyDevicesScenario.get(http, app, "/ready").body())
                    .contains("model " + first.manifest().modelVersion());
        }
    }

    /**
     * Every window once, predicted as its record's model predicts it offline, and each device's records name the
     * old model, then the new one, never back.
     */
    private static void assertExactlyOnceByTheirModel(List<ActivityPrediction> written, Map<WindowKey, String> all,
                                                     Map<String, Map<WindowKey, String>> offlineByVersion) {
        Map<WindowKey, Integer> times = new HashMap<>();
        Map<String, List<String>> versionsByDevice = new LinkedHashMap<>();
        for (ActivityPrediction p : written) {
            WindowKey k = new WindowKey(p.device(), p.windowStart());
            times.merge(k, 1, Integer::sum);
            assertThat(offlineByVersion).containsKey(p.modelVersion());
            assertThat(p.predicted()).as("%s by %s", k, p.modelVersion())
                    .isEqualTo(offlineByVersion.get(p.modelVersion()).get(k));
            List<String> versions = versionsByDevice.computeIfAbsent(p.device(), d -> new ArrayList<>());
            if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(p.modelVersion())) {
                versions.add(p.modelVersion());
            }
        }
        assertThat(times.entrySet().stream().filter(e -> e.getValue() > 1).toList()).as("predicted twice").isEmpty();
        assertThat(times.keySet()).as("predicted windows").isEqualTo(all.keySet());
        versionsByDevice.forEach((device, versions) -> assertThat(versions).as("model versions of %s, in order", device)
                .hasSizeLessThanOrEqualTo(2));
    }

    private static String unknownAsNull(String actual) {
        return actual.equals(HarMetrics.UNKNOWN_ACTUAL) ? null : actual;
    }

    private StreamAppConfig instance(Map<String, String> settings, String name) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("state.dir", dir.resolve("state-" + name).toString());
        return StreamAppConfig.of(s);
    }

    private static double count(RunningStreamApp app, HarMetrics.SwapOutcome outcome) {
        return app.registry().get(HarMetrics.MODEL_SWAPS).tag("outcome", outcome.id()).counter().count();
    }

    private static long predictions(RunningStreamApp app, String version, String role) {
        return (long) app.registry().find(HarMetrics.PREDICTIONS).tags("model_version", version, "role", role,
                "stage", "raw").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long agreement(RunningStreamApp app, boolean agree) {
        MeterRegistry r = app.registry();
        return (long) r.get(HarMetrics.SHADOW_AGREEMENT).tag("agree", Boolean.toString(agree)).counter().count();
    }

    private interface AppCondition {
        boolean holds(RunningStreamApp app);
    }

    private static void awaitOn(List<RunningStreamApp> apps, AppCondition condition, String what)
            throws InterruptedException {
        BooleanSupplier all = () -> apps.stream().allMatch(condition::holds);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!all.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every instance saw " + what + " within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static String readyBody(StreamAppProcess app) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.httpPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return r.body();
    }
}
