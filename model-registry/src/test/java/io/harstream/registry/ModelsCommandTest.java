package io.harstream.registry;

import io.harstream.core.model.TestBundles;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.core.window.WindowSpec;
import io.harstream.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code harstream models} against a real broker in the test JVM: every subcommand, and each refusal in one line. */
class ModelsCommandTest {

    private static final Path SHIPPED = Path.of("..", "models", "wisdm2019");

    static EmbeddedKafkaBroker broker;
    @TempDir
    static Path tmp;
    static Path v1;
    static Path v2;

    @BeforeAll
    static void start() throws IOException {
        broker = EmbeddedKafkaBroker.start();
        v1 = tmp.resolve("v1");
        v2 = tmp.resolve("v2");
        WindowSpec spec = new WindowSpec(12, 4, 1000);
        TestBundles.tiny(List.of("Walking", "Jogging", "Sitting"), spec, 4, 1).save(v1);
        TestBundles.tiny(List.of("Walking", "Jogging", "Sitting"), spec, 4, 2).save(v2);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static CommandRun models(String sub, String topic, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = sub;
        all[1] = "-b";
        all[2] = broker.bootstrapServers();
        all[3] = "--topic";
        all[4] = topic;
        System.arraycopy(args, 0, all, 5, args.length);
        return CommandRun.models(all);
    }

    @Test
    void publishPromoteRollbackAndList() throws Exception {
        String topic = "models-lifecycle";
        CommandRun first = models("publish", topic, "--model", v1.toString(), "--role", "active");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("published test-1 as active to topic " + topic)
                .contains("active: test-1, candidate: none, history: []");

        CommandRun candidate = models("publish", topic, "--model", v2.toString());
        assertThat(candidate.exit()).as(candidate.err()).isZero();
        assertThat(candidate.out()).startsWith("published test-2 as candidate")
                .contains("active: test-1, candidate: test-2");

        CommandRun list = models("list", topic);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("roles set by publish").containsPattern("active +test-1 +0\\.0000 .* 3: "
                + "Walking,Jogging,Sitting").containsPattern("candidate +test-2 ");

        CommandRun promote = models("promote", topic, "test-2");
        assertThat(promote.exit()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("promoted test-2 to active; active: test-2, candidate: none, history: "
                + "[test-1]");

        CommandRun back = models("rollback", topic);
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(back.out()).contains("rolled back to test-1; active: test-1, candidate: none, history: []");

        CommandRun again = models("rollback", topic);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.errLine()).isEqualTo("models rollback: there is no earlier active version to roll back to "
                + "(active: test-1)");

        // what is on the topic: bundle before roles, each change one roles record
        List<KafkaRecords.Entry> records = KafkaRecords.read(broker.bootstrapServers(), topic);
        assertThat(records).extracting(KafkaRecords.Entry::key).containsExactly("bundle/test-1", "roles",
                "bundle/test-2", "roles", "roles", "roles");
        assertThat(ModelArchive.unpack(records.get(2).value()).manifest().modelVersion()).isEqualTo("test-2");
        assertThat(ModelRoles.fromJson(records.get(5).value()))
                .extracting(ModelRoles::active, ModelRoles::candidate, ModelRoles::change)
                .containsExactly("test-1", null, "rollback");
        assertThat(records).as("committed, not aborted").hasSize(6);
    }

    @Test
    void theTopicIsCreatedCompactedWithRoomForTheArchive() throws Exception {
        String topic = "models-created";
        CommandRun run = models("publish", topic, "--model", SHIPPED.toString(), "--role", "active");
        assertThat(run.exit()).as(run.err()).isZero();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("max.message.bytes").value()).isEqualTo(String.valueOf(ModelsTopic.MAX_MESSAGE_BYTES));
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(1);
        }
        CommandRun again = models("publish", topic, "--model", SHIPPED.toString(), "--role", "active");
        assertThat(again.exit()).as("the same bundle again: no change but the time").isZero();
    }

    @Test
    void aBundleTheStreamAppWouldRefuseIsRefusedAndNothingIsWritten() throws Exception {
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        Files.copy(v1.resolve("model.json"), bad.resolve("model.json"));
        Files.writeString(bad.resolve("model.zip"), "not a zip");
        CommandRun run = models("publish", "models-bad", "--model", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLine()).startsWith("models publish: model ").contains("model.zip");
        assertThat(run.out()).isEmpty();

        CommandRun missing = models("publish", "models-bad", "--model", tmp.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLine()).endsWith("nowhere: not a directory");

        CommandRun list = models("list", "models-bad");
        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.errLine()).as("nothing written, not even the topic").isEqualTo("models list: topic models-bad "
                + "does not exist on " + broker.bootstrapServers() + " (publish a model first)");
    }

    @Test
    void promotingAnythingButTheCandidateIsRefused() {
        String topic = "models-promote";
        assertThat(models("publish", topic, "--model", v1.toString(), "--role", "active").exit()).isZero();
        CommandRun none = models("promote", topic, "test-2");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.errLine()).isEqualTo("models promote: there is no candidate to promote (active: test-1); "
                + "publish one with --role candidate");
        assertThat(models("publish", topic, "--model", v2.toString()).exit()).isZero();
        CommandRun unknown = models("promote", topic, "test-9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLine()).isEqualTo("models promote: version test-9 is not the candidate (candidate: test-2)");
    }

    @Test
    void anUnreachableBrokerIsOneLineWithinTheTimeout() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        CommandRun run = CommandRun.models("publish", "-b", "127.0.0.1:" + port, "--timeout", "2", "--model",
                v1.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLine()).isEqualTo("models publish: cannot reach Kafka at 127.0.0.1:" + port + " within 2 s "
                + "(is the broker running? -b, --timeout)");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("bounded").isLessThan(20);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CommandRun.models("promote").exit()).isEqualTo(2);
        assertThat(CommandRun.models().exit()).isEqualTo(2);
        CommandRun role = models("publish", "models-role", "--model", v1.toString(), "--role", "shadow");
        assertThat(role.exit()).isEqualTo(2);
        assertThat(role.errLine()).isEqualTo("models publish: --role: unknown role 'shadow' (one of [active, candidate])");
        CommandRun version = CommandRun.models("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("harstream ");
        for (String sub : List.of("publish", "list", "promote", "rollback")) {
            CommandRun help = CommandRun.models(sub, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: models " + sub, "--bootstrap-servers", "--kafka");
        }
    }
}
