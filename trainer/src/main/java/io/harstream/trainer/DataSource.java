package io.harstream.trainer;

import io.harstream.core.data.Activities;
import io.harstream.core.data.Dataset;
import io.harstream.core.data.Recording;
import io.harstream.core.data.Wisdm2019Reader;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.synthetic.SyntheticGenerator;
import io.harstream.core.synthetic.SyntheticSpec;
import picocli.CommandLine.Option;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Where the recordings come from: {@code --data}, {@code --format}, {@code --activities}. */
public final class DataSourceOptions {

    /** Input file formats. */
    public enum Format { AUTO, V1, WISDM2019 }

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "PATH|synthetic",
            description = "A WISDM v1.1 raw file (.txt or .txt.gz), a WISDM 2019 accelerometer directory or file, "
                    + "or 'synthetic' for the built-in generator. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--format", defaultValue = "AUTO",
            description = "Input format: ${COMPLETION-CANDIDATES}. AUTO: a directory or a data_*_accel_* file is "
                    + "WISDM 2019, anything else v1.1. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--activities", paramLabel = "LIST",
            description = "Activities to keep, in class order: WISDM 2019 letter codes (e.g. ABCDE) or comma-separated "
                    + "names (e.g. Walking,Jogging,Sitting). Default: ABCDE for WISDM 2019, all six for v1.1 and "
                    + "synthetic.")
    String activities;

    @Option(names = "--synthetic-users", defaultValue = "12",
            description = "Users the synthetic generator simulates. Default: ${DEFAULT-VALUE}.")
    int syntheticUsers;

    @Option(names = "--synthetic-seconds", defaultValue = "120",
            description = "Seconds of each activity per synthetic user. Default: ${DEFAULT-VALUE}.")
    double syntheticSeconds;

    public boolean isSynthetic() {
        return "synthetic".equalsIgnoreCase(data);
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
