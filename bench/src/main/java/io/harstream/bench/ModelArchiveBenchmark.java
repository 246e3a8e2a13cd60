package io.harstream.bench;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelArchive;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code harstream bench-archive}: what carrying a bundle as one models-topic record costs: the archive's size against
 * the bundle's files, and the median time to pack it, to verify it and read its manifest (what {@code models list}
 * does per bundle), to unpack it into a loaded, validated bundle (what a stream-app does with a bundle record), and,
 * for reference, to load the same bundle from its directory ({@code ModelBundle.load}, the start-up path).
 */
@Command(name = "bench-archive", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        sortOptions = false,
        description = "Model archive size and pack / manifest / unpack / directory-load times for a bundle.")
public final class ModelArchiveBenchmark implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR",
            description = "The bundle directory. Default: models/wisdm2019 of the repository.")
    Path model;

    @Option(names = "--reps", defaultValue = "21", description = "Timed repetitions (median reported). "
            + "Default: ${DEFAULT-VALUE}.")
    int reps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed repetitions first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelArchiveBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = model != null ? model
                : Path.of(System.getProperty("harstream.home", "."), "models", "wisdm2019");
        String loadBefore = InferenceBenchmark.loadAverage();
        byte[] archive = ModelArchive.pack(dir);
        long files = 0;
        for (String f : new String[] {ModelBundle.MANIFEST_FILE, ModelBundle.MODEL_FILE, ModelArchive.METRICS_FILE}) {
            if (Files.isRegularFile(dir.resolve(f))) {
                files += Files.size(dir.resolve(f));
            }
        }
        double pack = medianMs(() -> ModelArchive.pack(dir));
        double manifest = medianMs(() -> ModelArchive.manifest(archive));
        double unpack = medianMs(() -> ModelArchive.unpack(archive));
        double load = medianMs(() -> ModelBundle.load(dir));

        System.out.printf(Locale.ROOT, "%n%s model archive benchmark%n", HarstreamVersion.line());
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores; load average before %s, after %s%n",
                InferenceBenchmark.cpuName(), Runtime.getRuntime().availableProcessors(), loadBefore,
                InferenceBenchmark.loadAverage());
        System.out.printf(Locale.ROOT, "bundle %s (model %s): model.json + model.zip + metrics.json %,d bytes, "
                        + "archive %,d bytes (cap %,d)%n", dir, ModelArchive.header(archive).modelVersion(), files,
                archive.length, ModelArchive.MAX_ARCHIVE_BYTES);
        System.out.printf(Locale.ROOT, "medians of %d timed repetitions after %d untimed%n%n", reps, warmup);
        System.out.printf(Locale.ROOT, "%-44s %10s%n", "operation", "ms");
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "ModelArchive.pack (directory -> bytes)", pack);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "ModelArchive.manifest (verify, parse)", manifest);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "ModelArchive.unpack (verify, load, validate)", unpack);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "ModelBundle.load (directory, reference)", load);
        return 0;
    }

    private double medianMs(Supplier<?> op) {
        for (int i = 0; i < warmup; i++) {
            op.get();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            op.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return InferenceBenchmark.median(ms);
    }
}
