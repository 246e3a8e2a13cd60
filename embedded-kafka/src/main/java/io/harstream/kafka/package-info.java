/**
 * A real single-node KRaft Kafka broker inside the current JVM ({@link io.harstream.kafka.EmbeddedKafkaBroker})
 * for the one-process demo, bench-stream and the integration tests: Kafka's own server code, so transactions
 * and read_committed behave as on a cluster. Not for hosting anything else: a fatal broker fault ends the JVM.
 */
package io.harstream.kafka;
