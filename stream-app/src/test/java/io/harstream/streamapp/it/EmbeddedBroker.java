package io.harstream.streamapp.it;

import io.harstream.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-JVM Kafka broker for all tests of a class, started before the first and closed after the last:
 * {@code @RegisterExtension static final EmbeddedBroker KAFKA = new EmbeddedBroker();}.
 */
final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    /** The running broker; only between the class's first and last test. */
    EmbeddedKafkaBroker get() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the test class's first test");
        }
        return broker;
    }

    String bootstrapServers() {
        return get().bootstrapServers();
    }
}
