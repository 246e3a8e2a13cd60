/**
 * {@code harstream models}: publishes model bundles to the models topic and changes their roles
 * ({@link io.harstream.registry.ModelsCommand}), through {@link io.harstream.registry.ModelRegistry}, which the
 * trainer's {@code --publish} uses too.
 *
 * <p>Contracts: a publish checks the bundle exactly as a stream-app checks a bundle record
 * ({@link io.harstream.core.model.registry.ModelArchive#unpack}) before it touches Kafka; every change is one Kafka
 * transaction (the bundle record, then the roles record) by a producer whose transactional id is one per topic, so
 * concurrent changes fence each other rather than lose one; every failure is one line and exit 2, with nothing
 * written. The topic's contract is core's {@link io.harstream.core.model.registry.ModelsTopic}.
 *
 * <p>More: docs/operations.md, "Models topic"; docs/design.md#models-topic.
 */
package io.harstream.registry;
