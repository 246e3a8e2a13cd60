/**
 * The stream-app against real Kafka brokers: the embedded KRaft broker in the test JVM, the official Apache
 * Kafka image through Testcontainers (skipped without Docker), and a child-JVM instance killed with SIGKILL
 * to check that exactly-once survives a crash.
 */
package io.harstream.streamapp.it;
