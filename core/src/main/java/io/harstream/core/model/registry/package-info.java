/**
 * Models as Kafka records: the models topic's contract ({@link io.harstream.core.model.registry.ModelsTopic}), a
 * bundle packed into one bounded, checksummed record value ({@link io.harstream.core.model.registry.ModelArchive}),
 * and the roles document saying which version is active, which is the candidate and which were active before
 * ({@link io.harstream.core.model.registry.ModelRoles}).
 *
 * <p>Contracts: {@code ModelArchive.unpack} refuses, with one {@link io.harstream.core.model.BundleException} line,
 * anything that is not a bounded archive with matching checksums holding a bundle that
 * {@link io.harstream.core.model.ModelBundle#load} would accept; the stream-app and the {@code models} command use
 * this one check, so what one refuses the other refuses. {@code ModelRoles} changes are pure functions of the
 * latest roles record; an impossible change throws {@link io.harstream.core.model.registry.RoleChangeException}.
 * Nothing here talks to Kafka.
 *
 * <p>More: docs/design.md#models-topic.
 */
package io.harstream.core.model.registry;
