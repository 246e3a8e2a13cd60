package io.harstream.trainer;

import io.harstream.core.data.Activities;
import io.harstream.core.data.Dataset;
import io.harstream.core.data.Recording;
import io.harstream.core.data.Wisdm2019Reader;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.synthetic.SyntheticGenerator;
import io.harstream.core.synthetic.SyntheticSpec;

import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where the recordings come from, and which activities of them to keep.
 *
 * @param data             a WISDM v1.1 raw file (.txt or .txt.gz), a WISDM 2019 accelerometer directory or file,
 *                         or {@value #SYNTHETIC_NAME} for the built-in generator
 * @param format           the file format; {@link Format#AUTO} tells it from the path
 * @param activities       activities to keep, in class order: WISDM 2019 letter codes ("ABCDE") or comma-separated
 *                         names; null for the data set's default ({@code ABCDE} for WISDM 2019, all six otherwise)
 * @param syntheticUsers   people the synthetic generator simulates
 * @param syntheticSeconds seconds of each activity per synthetic person
 */
public record DataSource(String data, Format format, String activities, int syntheticUsers,
                         double syntheticSeconds) {

    /** The {@link #data} that selects the built-in generator. */
    public static final String SYNTHETIC_NAME = "synthetic";

    /**
     * The default: 12 synthetic people with 60 s of each activity, what the demo's model is trained on (its figures:
     * BENCHMARKS.md#demo-model).
     */
    public static final DataSource SYNTHETIC = new DataSource(SYNTHETIC_NAME, Format.AUTO, null, 12, 60);

    /** Input file formats. */
    public enum Format { AUTO, V1, WISDM2019 }

    public DataSource {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(format, "format");
    }

    public boolean isSynthetic() {
        return SYNTHETIC_NAME.equalsIgnoreCase(data);
    }

    /** Reads the data, keeps the chosen activities and returns it with the class order. */
    public Dataset load(long seed) {
        Dataset raw;
        if (isSynthetic()) {
            raw = synthetic(new SyntheticSpec(seed, syntheticUsers, syntheticSeconds, 20.0));
        } else {
            Path path = Path.of(data);
            if (!Files.exists(path)) {
                throw new TrainerException("--data " + data + ": no such file or directory");
            }
            if (!Files.isReadable(path)) {
                throw new TrainerException("--data " + data + ": not readable");
            }
            try {
                raw = formatOf(path) == Format.WISDM2019
                        ? Wisdm2019Reader.read(path, activities == null ? Activities.DEFAULT_2019_CODES
                                : codesOf(activities))
                        : WisdmV1Reader.read(path);
            } catch (IOException | UncheckedIOException e) {
                throw new TrainerException("--data " + data + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        return selectActivities(raw);
    }

    Format formatOf(Path path) {
        if (format != Format.AUTO) {
            return format;
        }
        String name = path.getFileName().toString();
        return Files.isDirectory(path) || name.matches("data_.*_accel_.*") ? Format.WISDM2019 : Format.V1;
    }

    /** WISDM 2019 codes from either codes ("ABCDE") or names ("Walking,Stairs"). */
    private static String codesOf(String list) {
        String trimmed = list.trim();
        if (trimmed.matches("[A-Za-z]+") && trimmed.length() <= 18 && !trimmed.contains(",")
                && trimmed.chars().allMatch(Character::isUpperCase)) {
            return trimmed;
        }
        StringBuilder codes = new StringBuilder();
        for (String name : trimmed.split(",")) {
            codes.append(Activities.codeOf2019Name(name.trim()));
        }
        return codes.toString();
    }

    private Dataset selectActivities(Dataset raw) {
        List<String> wanted = wantedClasses(raw);
        Set<String> keep = new LinkedHashSet<>(wanted);
        List<Recording> kept = new ArrayList<>();
        for (Recording r : raw.recordings()) {
            kept.addAll(r.retainActivities(keep));
        }
        return new Dataset(raw.source(), wanted, kept, raw.skipped(), raw.notes());
    }

    private List<String> wantedClasses(Dataset raw) {
        if (activities == null || !raw.activities().equals(Activities.V1_CLASSES)) {
            return raw.activities(); // the 2019 reader already applied the subset and its order
        }
        List<String> wanted = new ArrayList<>();
        for (String name : activities.split(",")) {
            String match = raw.activities().stream().filter(a -> a.equalsIgnoreCase(name.trim())).findFirst()
                    .orElseThrow(() -> new TrainerException("--activities: unknown activity '" + name.trim()
                            + "' (this dataset has " + String.join(", ", raw.activities()) + ")"));
            wanted.add(match);
        }
        if (wanted.size() < 2) {
            throw new TrainerException("--activities: need at least 2 activities, got " + wanted);
        }
        return wanted;
    }

    /** The generator writes v1.1 text; the v1.1 reader reads it back, the same path real files take. */
    private static Dataset synthetic(SyntheticSpec spec) {
        try (PipedReader in = new PipedReader(1 << 16); PipedWriter out = new PipedWriter(in)) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (out) {
                    new SyntheticGenerator(spec).write(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Dataset d = WisdmV1Reader.read(in, "synthetic (seed " + spec.seed() + ", " + spec.users() + " users, "
                    + fmt(spec.secondsPerActivity()) + " s per activity)");
            writing.join();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
