package io.harstream.core.model.registry;

import java.util.Arrays;
import java.util.Locale;

/** What a published model does: serves the predictions, or classifies the same windows beside it for comparison. */
public enum ModelRole {
    /** Its predictions are the service's. */
    ACTIVE,
    /** Shadows the active model: same windows, same batch, its predictions only counted (and optionally written). */
    CANDIDATE;

    /** The lower-case name used in the roles document, on the command line and in metric labels. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} ({@code active} or {@code candidate}, any case). */
    public static ModelRole fromId(String id) {
        for (ModelRole r : values()) {
            if (r.id().equalsIgnoreCase(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "' (one of " + Arrays.stream(values())
                .map(ModelRole::id).toList() + ")");
    }
}
