package io.harstream.registry;

import io.harstream.core.model.TestBundles;
import io.harstream.core.window.WindowSpec;
import io.harstream.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models} against a SASL/PLAIN listener: credentials passed with {@code --kafka} are used, and wrong ones are
 * one line and exit 2.
 */
class ModelsSaslTest {

    static EmbeddedKafkaBroker broker;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        broker = EmbeddedKafkaBroker.startWithPlainUsers(Map.of("trainer", "trainer-secret"));
        TestBundles.tiny(List.of("Walking", "Sitting"), new WindowSpec(12, 4, 1000), 4, 3).save(tmp.resolve("b"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static CommandRun models(String password, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-b", broker.saslBootstrapServers(), "--timeout", "10"));
        EmbeddedKafkaBroker.plainClientSettings("trainer", password)
                .forEach((k, v) -> all.addAll(List.of("--kafka", k + "=" + v)));
        return CommandRun.models(all.toArray(String[]::new));
    }

    @Test
    void theRightCredentialsPublishAndList() {
        CommandRun publish = models("trainer-secret", "publish", "--model", tmp.resolve("b").toString(), "--role",
                "active");
        assertThat(publish.exit()).as(publish.err()).isZero();
        assertThat(publish.out()).startsWith("published test-3 as active");
        CommandRun list = models("trainer-secret", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("active +test-3 ");
    }

    @Test
    void wrongCredentialsAreOneLineAndExitTwo() {
        CommandRun run = models("wrong", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLine()).startsWith("models list: Kafka at " + broker.saslBootstrapServers()
                + " refused the credentials: ").contains("Authentication failed");
    }
}
