/**
 * The stream-app against real Kafka brokers: the embedded KRaft broker in the test JVM ({@code EmbeddedBroker},
 * one per test class), the official Apache Kafka image through Testcontainers (skipped without Docker), a
 * child-JVM instance killed with SIGKILL to check that exactly-once survives a crash, two child-JVM instances
 * to measure how fast one takes over the other's devices, and the command's exit status after SIGTERM.
 */
package io.harstream.streamapp.it;
