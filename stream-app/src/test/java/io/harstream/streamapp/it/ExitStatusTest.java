package io.harstream.streamapp.it;

import io.harstream.streamapp.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit status {@code stream-app --help} promises for a requested stop, from the command in a child JVM: 0
 * after SIGTERM, not the JVM's 143. Here while it waits for a Kafka that is not there; {@link FailoverTest}
 * stops one that is processing.
 */
class ExitStatusTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void sigtermEndsWithExitStatusZero() throws Exception {
        Path bundle = dir.resolve("bundle");
        TestModels.untrained().save(bundle);
        Map<String, String> settings = ManyDevicesScenario.settings("127.0.0.1:" + StreamAppProcess.freePort(),
                "exit-status", "in", "out", "dlq", dir.resolve("state"), 1);
        settings.put("model.bundle", bundle.toString());
        Path log = dir.resolve("app.log");
        try (StreamAppProcess app = StreamAppProcess.start(settings, log)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(log).contains("waiting for Kafka") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).as("the app is up and waiting for Kafka").contains("waiting for Kafka");
            app.terminate();
            assertThat(app.exit().get(60, TimeUnit.SECONDS)).as(app.logTail()).isZero();
            assertThat(Files.readString(log)).contains("SIGTERM: stopping", "stream-app stopped");
        }
    }
}
