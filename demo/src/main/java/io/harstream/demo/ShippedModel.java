package io.harstream.demo;

import io.harstream.core.model.ModelBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model shipped with the repository, {@code models/wisdm2019}: a bundle trained on real people with
 * the recordings of the people it was tested on, what the demo serves unless told otherwise.
 */
final class ShippedModel {

    /** The folder's name under {@code models/}. */
    static final String NAME = "wisdm2019";

    private ShippedModel() {
    }

    /**
     * {@code models/wisdm2019} under {@code harstream.home} (the launcher sets it to the repository), else under
     * the working directory or the nearest parent that has one (a test runs in a module's directory).
     */
    static Optional<Path> locate() {
        String home = System.getProperty("harstream.home");
        if (home != null) {
            return in(Path.of(home));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = in(dir);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> in(Path root) {
        Path dir = root.resolve("models").resolve(NAME);
        return Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST_FILE)) ? Optional.of(dir) : Optional.empty();
    }
}
