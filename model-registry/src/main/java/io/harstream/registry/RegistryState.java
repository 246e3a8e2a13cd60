package io.harstream.registry;

import io.harstream.core.model.registry.ModelRoles;

import java.util.Map;
import java.util.Optional;

/**
 * What the models topic holds, read to its end: the latest roles ({@link ModelRoles#EMPTY} when there are none yet)
 * and the latest record of every bundle key.
 *
 * @param roles   the current roles
 * @param bundles by version, in the order first published
 */
public record RegistryState(ModelRoles roles, Map<String, PublishedBundle> bundles) {

    public RegistryState {
        bundles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bundles));
    }

    public Optional<PublishedBundle> bundle(String version) {
        return Optional.ofNullable(version == null ? null : bundles.get(version));
    }
}
