package io.harstream.core.model.registry;

/**
 * A change of {@link ModelRoles} that cannot be made in their current state (promoting a version that is not the
 * candidate, rolling back with no earlier active version); the message says why in one line.
 */
public final class RoleChangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RoleChangeException(String message) {
        super(message);
    }
}
