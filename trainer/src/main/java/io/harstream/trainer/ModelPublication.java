package io.harstream.trainer;

import io.harstream.core.model.registry.ModelRole;
import io.harstream.registry.ModelRegistry;
import io.harstream.registry.RegistryException;
import io.harstream.registry.RegistryTarget;

import java.nio.file.Path;

/**
 * The trainer's {@code --publish}: where the bundle it writes goes, checked before training so that a wrong address
 * or wrong credentials fail in seconds, not after the training.
 *
 * @param target the models topic
 * @param role   the role the bundle is published in
 */
record ModelPublication(RegistryTarget target, ModelRole role) {

    /**
     * @throws RegistryException when Kafka is unreachable or refuses the credentials
     */
    static ModelPublication checked(RegistryTarget target, ModelRole role) {
        new ModelRegistry(target).checkCluster();
        return new ModelPublication(target, role);
    }

    /**
     * Publishes the bundle in {@code bundleDir}; returns the line to print.
     *
     * @throws TrainerException with the registry's one line when it cannot
     */
    String publish(Path bundleDir) {
        try {
            ModelRegistry.Change c = new ModelRegistry(target).publish(bundleDir, role);
            return String.format(java.util.Locale.ROOT, "published %s as %s to topic %s at %s (%,d bytes)",
                    c.version(), role.id(), target.topic(), target.bootstrapServers(), c.bytes());
        } catch (RegistryException e) {
            throw new TrainerException("the bundle is written to " + bundleDir + " but not published: "
                    + e.getMessage(), e);
        }
    }
}
