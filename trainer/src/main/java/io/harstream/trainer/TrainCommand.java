package io.harstream.trainer;

import io.harstream.core.data.Dataset;
import io.harstream.core.data.DatasetFingerprint;
import io.harstream.core.data.Recording;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.features.Channel;
import io.harstream.core.features.Normalization;
import io.harstream.core.features.Preprocessor;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.report.ConfusionMatrix;
import io.harstream.trainer.report.EpochStats;
import io.harstream.trainer.report.EvaluationWriter;
import io.harstream.trainer.report.TrainingOutcome;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code harstream train}: read recordings, cut windows, split, train the seed's LSTM, evaluate, and
 * write the model bundle, history, metrics, plots, report and test set into one directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true, version = "harstream 0.1.0", sortOptions = false,
        description = {"Trains the LSTM activity classifier and writes the model bundle with its evaluation.",
                "",
                "Outputs in --out: model.zip + model.json (the bundle), history.csv/json, metrics.json, loss.png, "
                        + "accuracy.png, confusion_matrix.png, report.html and test-set.txt (WISDM v1.1 lines of the "
                        + "test windows' recordings, for the simulator)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:model trained and written", "1:unexpected failure (stack trace printed)",
                "2:bad input (message printed)"})
public final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec commandSpec;

    @Mixin
    DataSourceOptions source = new DataSourceOptions();

    @Option(names = "--split", defaultValue = "user",
            description = "user: whole users held out (honest figure for new people); random: the seed's 80/20 over "
                    + "windows (leaky, for comparison). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "Share of users (--split user) or windows (--split random) held out. Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(names = "--test-users", split = ",", paramLabel = "USER",
            description = "Exact users to hold out with --split user (e.g. 1607,1617), instead of a seeded draw.")
    List<String> testUsers;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed for the split, shuffling, initialisation and synthetic data. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--epochs", defaultValue = "50", description = "Training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--window", defaultValue = "200",
            description = "Window length in samples (200 = 10 s at 20 Hz). Default: ${DEFAULT-VALUE}.")
    int windowLength;

    @Option(names = "--hop", defaultValue = "20",
            description = "Samples between window starts. Default: ${DEFAULT-VALUE}.")
    int hop;

    @Option(names = "--max-gap-ms", defaultValue = "1000",
            description = "A larger gap between timestamps starts a new series. Default: ${DEFAULT-VALUE}.")
    long maxGapMs;

    @Option(names = "--channels", defaultValue = "x,y,z", split = ",",
            description = "Input channels: x, y, z, magnitude. Default: ${DEFAULT-VALUE}.")
    List<String> channels;

    @Option(names = "--learning-rate", defaultValue = "0.0025", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--l2", defaultValue = "0.0015", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double l2;

    @Option(names = "--hidden", defaultValue = "64",
            description = "Units of the dense layer and of each LSTM layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--train-eval-windows", defaultValue = "4096",
            description = "Training windows (a fixed seeded sample) scored after each epoch for the train curves. "
                    + "Default: ${DEFAULT-VALUE}.")
    int trainEvalWindows;

    @Option(names = {"-o", "--out"}, defaultValue = "out/model",
            description = "Output directory (created; existing files are replaced). Default: ${DEFAULT-VALUE}.")
    Path out;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with harstream's error handling: input problems print one line and exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof TrainerException) {
                cmd.getErr().println("train: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() throws IOException {
        validateOptions();
        long t0 = System.nanoTime();
        Files.createDirectories(out);

        Dataset dataset = source.load(seed);
        LOG.info("read {}: {} samples in {} recordings, classes {}", dataset.source(), dataset.sampleCount(),
                dataset.recordings().size(), dataset.activities());
        if (dataset.skipped().total() > 0) {
            LOG.info("skipped input lines:\n{}", dataset.skipped().summary());
        }
        dataset.notes().forEach(n -> LOG.info("reader: {}", n));
        if (dataset.recordings().isEmpty()) {
            throw new TrainerException("no samples left in " + dataset.source() + " for activities "
                    + dataset.activities());
        }

        WindowSpec spec = new WindowSpec(windowLength, hop, maxGapMs);
        Segmenter segmenter = new Segmenter(spec, dataset.activities());
        List<LabeledWindow> windows = cut(dataset, segmenter);
        LOG.info("{} windows of {} samples every {} samples", windows.size(), windowLength, hop);

        Split s = "user".equals(split) ? Split.byUser(windows, testFraction, testUsers, seed)
                : Split.random(windows, testFraction, seed);
        List<String> classes = dataset.activities();
        long[] trainPerClass = perClass(s.train(), classes.size());
        long[] testPerClass = perClass(s.test(), classes.size());
        for (int c = 0; c < classes.size(); c++) {
            if (trainPerClass[c] == 0) {
                throw new TrainerException("class " + classes.get(c) + " has no training windows (train users "
                        + s.trainUsers() + "); drop it with --activities or choose other --test-users");
            }
        }
        if (s.test().isEmpty()) {
            throw new TrainerException("the test split is empty");
        }
        LOG.info("split {}: {} train windows from users {}, {} test windows from users {}", s.method(),
                s.train().size(), s.trainUsers(), s.test().size(), s.testUsers());

        List<Channel> channelList = channels.stream().map(Channel::fromId).toList();
        Normalization normalization = Normalization.fit(s.train().stream().map(LabeledWindow::window).toList(),
                channelList);
        Preprocessor preprocessor = new Preprocessor(channelList, normalization);
        NetworkConfig netConfig = new NetworkConfig(channelList.size(), classes.size(), hidden, hidden, 2,
                learningRate, l2, seed);
        MultiLayerNetwork network = HarNetwork.create(netConfig, windowLength);
        LOG.info("network: {} parameters; training {} epochs, batch {}", network.numParams(), epochs, batchSize);

        ActivityClassifier classifier = new ActivityClassifier(network, preprocessor, 1024);
        List<LabeledWindow> trainSample = sample(s.train(), trainEvalWindows, seed);
        TrainingLoop.EpochEvaluator evaluator = new TrainingLoop.EpochEvaluator() {
            @Override
            public Evaluation train() {
                return Evaluation.of(classifier, trainSample, classes);
            }

            @Override
            public Evaluation test() {
                return Evaluation.of(classifier, s.test(), classes);
            }
        };
        long trainStart = System.nanoTime();
        List<EpochStats> history = new TrainingLoop(network, epochs, batchSize, seed)
                .run(new TensorSet(s.train(), preprocessor, classes.size()), evaluator,
                        soFar -> EvaluationWriter.writeHistory(soFar, out));
        double trainingSeconds = (System.nanoTime() - trainStart) / 1e9;

        Evaluation finalTest = Evaluation.of(classifier, s.test(), classes);
        ConfusionMatrix cm = finalTest.confusion();
        String fingerprint = DatasetFingerprint.of(dataset.recordings());
        String modelVersion = modelVersion(fingerprint);
        Map<String, String> recipe = recipe(spec);

        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, modelVersion,
                Instant.now().toString(), classes, spec, 20.0, channelList.stream().map(Channel::id).toList(),
                BundleManifest.NormalizationStats.of(normalization), netConfig,
                new BundleManifest.Split(s.method(), s.leaky(), seed, testFraction, s.trainUsers(), s.testUsers()),
                new BundleManifest.DatasetInfo(dataset.source(), fingerprint, dataset.sampleCount(), s.train().size(),
                        s.test().size()),
                new BundleManifest.Metrics(cm.accuracy(), finalTest.loss(), cm.macroF1()), recipe);
        new ModelBundle(manifest, network).save(out);

        Path testSet = out.resolve("test-set.txt");
        writeTestSet(testSet, dataset, s, segmenter);

        TrainingOutcome outcome = new TrainingOutcome(dataset.source(), dataset.skipped().summary(), dataset.notes(),
                classes, s.method(), s.note(), s.trainUsers(), s.testUsers(), s.train().size(), s.test().size(),
                trainPerClass, testPerClass, recipe, history, cm, finalTest.loss(), trainingSeconds, modelVersion);
        EvaluationWriter.writeAll(outcome, out);

        commandSpec.commandLine().getOut().printf(Locale.ROOT, "%nmodel %s (%s split%s)%n  test accuracy %.4f  macro-F1 %.4f  test loss %.4f"
                        + "%n  %d train / %d test windows, %d epochs in %.0f s (%.0f windows/s)%n  written to %s "
                        + "(open report.html)%n",
                modelVersion, s.method(), s.leaky() ? ", LEAKY" : ", users held out", cm.accuracy(), cm.macroF1(),
                finalTest.loss(), s.train().size(), s.test().size(), epochs, trainingSeconds,
                (double) s.train().size() * epochs / trainingSeconds, out.toAbsolutePath());
        commandSpec.commandLine().getOut().flush();
        LOG.info("total wall time {} s", Math.round((System.nanoTime() - t0) / 1e9));
        return 0;
    }

    private void validateOptions() {
        if (!"user".equals(split) && !"random".equals(split)) {
            throw new TrainerException("--split must be 'user' or 'random', got '" + split + "'");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new TrainerException("--test-fraction must be between 0 and 1, got " + testFraction);
        }
        if (epochs < 1 || batchSize < 1 || hidden < 1 || trainEvalWindows < 1) {
            throw new TrainerException("--epochs, --batch-size, --hidden and --train-eval-windows must be positive");
        }
        try {
            new WindowSpec(windowLength, hop, maxGapMs);
            channels.forEach(Channel::fromId);
        } catch (IllegalArgumentException e) {
            throw new TrainerException(e.getMessage(), e);
        }
    }

    private static List<LabeledWindow> cut(Dataset dataset, Segmenter segmenter) {
        List<LabeledWindow> windows = new ArrayList<>();
        int longest = 0;
        for (int i = 0; i < dataset.recordings().size(); i++) {
            Recording r = dataset.recordings().get(i);
            for (Recording series : segmenter.splitSeries(r)) {
                longest = Math.max(longest, series.size());
            }
            for (Window w : segmenter.cut(r)) {
                if (w.labelled()) {
                    windows.add(new LabeledWindow(r.user(), i, w));
                }
            }
        }
        if (windows.isEmpty()) {
            throw new TrainerException("no series is long enough for a window of " + segmenter.spec().length()
                    + " samples: the longest uninterrupted series has " + longest + " samples (gaps over "
                    + segmenter.spec().maxGapMs() + " ms or steps back split series)");
        }
        return windows;
    }

    private static long[] perClass(List<LabeledWindow> windows, int classes) {
        long[] n = new long[classes];
        windows.forEach(w -> n[w.label()]++);
        return n;
    }

    private static List<LabeledWindow> sample(List<LabeledWindow> windows, int max, long seed) {
        if (windows.size() <= max) {
            return windows;
        }
        List<LabeledWindow> copy = new ArrayList<>(windows);
        Collections.shuffle(copy, new Random(seed ^ 0x5DEECE66DL));
        return List.copyOf(copy.subList(0, max));
    }

    /**
     * Writes the recordings the test windows came from, then reads the file back and re-cuts it with
     * the same segmenter: the windows must come out identical, or the replay check downstream would be
     * comparing different things.
     */
    private static void writeTestSet(Path file, Dataset dataset, Split s, Segmenter segmenter) throws IOException {
        TreeSet<Integer> used = new TreeSet<>();
        s.test().forEach(w -> used.add(w.recording()));
        List<Recording> recordings = used.stream().map(dataset.recordings()::get).toList();
        long lines = TestSetWriter.write(file, recordings);
        List<Window> expected = new ArrayList<>();
        recordings.forEach(r -> expected.addAll(segmenter.cut(r)));
        List<Window> replayed = new ArrayList<>();
        WisdmV1Reader.read(file, segmenter.classes()).recordings().forEach(r -> replayed.addAll(segmenter.cut(r)));
        boolean same = expected.size() == replayed.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = expected.get(i).startTs() == replayed.get(i).startTs()
                    && expected.get(i).label() == replayed.get(i).label();
        }
        if (!same) {
            throw new IllegalStateException("test set " + file + " does not read back into the same windows ("
                    + expected.size() + " written, " + replayed.size() + " read)");
        }
        LOG.info("test set: {} samples from {} recordings of users {} -> {} ({} windows{})", lines, recordings.size(),
                s.testUsers(), file, expected.size(), s.leaky() ? ", training windows included: random split" : "");
    }

    private String modelVersion(String fingerprint) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        return stamp + "-" + fingerprint.substring(0, 8);
    }

    private Map<String, String> recipe(WindowSpec spec) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("split", split);
        r.put("test fraction", Double.toString(testFraction));
        r.put("seed", Long.toString(seed));
        r.put("epochs", Integer.toString(epochs));
        r.put("batch size", Integer.toString(batchSize));
        r.put("optimizer", "Adam, learning rate " + learningRate);
        r.put("L2", Double.toString(l2));
        r.put("network", "dense " + hidden + " ReLU per step -> LSTM " + hidden + " -> LSTM " + hidden
                + " -> softmax (last step)");
        r.put("channels", String.join(",", channels));
        r.put("window", spec.length() + " samples, hop " + spec.hop() + ", max gap " + spec.maxGapMs() + " ms");
        return r;
    }
}
