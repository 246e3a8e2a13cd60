package io.harstream.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the real datasets kept next to the repository (never inside it) for tests that want them.
 * Such tests call {@code Assumptions.assumeTrue(dir.isPresent(), ...)} so that a checkout without
 * the data skips them instead of failing.
 *
 * <p>Search order: the system property {@value #PROPERTY} (either the wisdm-2019-phone-accel
 * directory itself or the {@code data} directory holding it), then every directory from the working
 * directory upwards, looking for {@code shared/data/wisdm-2019-phone-accel}. Maven runs tests in
 * the module directory ({@code <repo>/core}), so the walk finds {@code <repo>/../shared/data}.
 */
public final class SharedData {

    /** System property pointing at the data; pass it as {@code mvn -Dharstream.data.dir=...}. */
    public static final String PROPERTY = "harstream.data.dir";

    static final String WISDM_2019 = "wisdm-2019-phone-accel";

    private SharedData() {
    }

    /** The WISDM 2019 phone-accelerometer directory, if one with data files can be found. */
    public static Optional<Path> wisdm2019Dir() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            // When the property is set, it is the only place looked at: a wrong setting should show
            // up as a skip naming that path, not be papered over by a copy found elsewhere.
            return Stream.of(p, p.resolve(WISDM_2019)).filter(SharedData::hasWisdm2019Files).findFirst();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(WISDM_2019);
            if (hasWisdm2019Files(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Where {@link #wisdm2019Dir()} looked, for skip messages. */
    public static String wisdm2019Searched() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize() + " (from -D" + PROPERTY + ")";
        }
        return "shared/data/" + WISDM_2019 + " in " + Path.of("").toAbsolutePath()
                + " or any parent (set -D" + PROPERTY + " to point elsewhere)";
    }

    private static boolean hasWisdm2019Files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> Wisdm2019Reader.FILE_NAME.matcher(f.getFileName().toString()).matches());
        } catch (IOException e) {
            return false;
        }
    }
}
