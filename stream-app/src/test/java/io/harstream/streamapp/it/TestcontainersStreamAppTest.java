package io.harstream.streamapp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@link EmbeddedKafkaStreamAppTest}'s main scenario against the official Apache Kafka image, for CI
 * machines with Docker: the embedded broker must not be the reason the app works. Skipped where there
 * is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersStreamAppTest {

    /** The same Kafka release as the client libraries. */
    static final String IMAGE = "apache/kafka:4.1.1";

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(IMAGE);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void manyDevicesOverSeveralPartitionsAndThreadsArePredictedExactlyOnce() throws Exception {
        ManyDevicesScenario.run(KAFKA.getBootstrapServers(), stateDir);
    }
}
