package io.harstream.trainer;

import io.harstream.core.HarstreamVersion;
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
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.baseline.FeatureBaseline;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.recipe.Recipe;
import io.harstream.trainer.recipe.RecipeOptions;
import io.harstream.trainer.report.BaselineOutcome;
import io.harstream.trainer.report.ConfusionMatrix;
import io.harstream.trainer.report.CrossValidationOutcome;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code harstream train}: read recordings, cut windows, split, train the seed's LSTM, evaluate, and
 * write the model bundle, history, metrics, plots, report and test set into one directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class, sortOptions = false,
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
            description = "Seed for the split, the cross-validation folds and synthetic data, and for training "
                    + "unless --init-seed is given. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--init-seed",
            description = "Seed for training alone: the network's initialisation, shuffling, augmentation, dropout "
                    + "and the baseline's trees. Changing it keeps the same split and folds, so two runs differ only "
                    + "by the training draw (how the run-to-run noise is measured). Default: --seed.")
    Long initSeed;

    @Option(names = "--window", defaultValue = "200",
            description = "Window length in samples (200 = 10 s at 20 Hz). Default: ${DEFAULT-VALUE}.")
    int windowLength;

    @Option(names = "--hop", defaultValue = "20",
            description = "Samples between window starts. Default: ${DEFAULT-VALUE}.")
    int hop;

    @Option(names = "--max-gap-ms", defaultValue = "1000",
            description = "A larger gap between timestamps starts a new series. Default: ${DEFAULT-VALUE}.")
    long maxGapMs;

    @Mixin
    RecipeOptions recipeOptions = new RecipeOptions();

    @Option(names = "--cv", arity = "0..1", fallbackValue = "5", defaultValue = "0", paramLabel = "K",
            description = "Also run leave-subjects-out cross-validation with K folds of whole users (--cv alone: 5), "
                    + "each fold training a network by the same recipe and the feature baseline on the same windows; "
                    + "the figures go into metrics.json, report.html and the bundle. 0 = off. Default: ${DEFAULT-VALUE}.")
    int cvFolds;

    @Option(names = "--baseline-trees", defaultValue = "100",
            description = "Trees of the feature baseline (a random forest on per-window statistics) trained and "
                    + "tested beside the LSTM; 0 = no baseline. Default: ${DEFAULT-VALUE}.")
    int baselineTrees;

    @Option(names = "--workers",
            description = "Threads each training step is split over (synchronous data parallelism: the same update as "
                    + "one thread up to float rounding). Default: the number of cores.")
    Integer workers;

    @Option(names = "--backprop", defaultValue = "harstream", paramLabel = "harstream|dl4j",
            description = "What computes the gradients: harstream (its own backward pass, several times faster than "
                    + "DL4J's, falling back to DL4J for a network it does not support) or dl4j. The same loss, "
                    + "gradient and DL4J updater either way. Default: ${DEFAULT-VALUE}.")
    String backpropName;

    private Backprop backprop;

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
        Recipe recipe = validateOptions();
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
        List<LabeledWindow> windows = cut(dataset, segmenter, recipe.frame());
        LOG.info("{} windows of {} samples every {} samples", windows.size(), windowLength, hop);
        List<String> classes = dataset.activities();
        LOG.info("recipe: {}", recipe.describe());
        ModelTrainer trainer = new ModelTrainer(recipe, classes, windowLength, trainEvalWindows, workers, backprop);
        long trainingSeed = trainingSeed();
        FeatureBaseline.Settings baselineSettings = baselineTrees > 0
                ? new FeatureBaseline.Settings(baselineTrees, trainingSeed) : null;

        CrossValidationOutcome cv = null;
        if (cvFolds > 0) {
            cv = CrossValidation.run(windows, classes, cvFolds, seed, trainingSeed, trainer, recipe.name(),
                    baselineSettings);
        }

        Split s = "user".equals(split) ? Split.byUser(windows, testFraction, testUsers, seed)
                : Split.random(windows, testFraction, seed);
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

        ModelTrainer.TrainedModel model = trainer.train(s.train(), !s.leaky(), s.test(), trainingSeed, "train",
                soFar -> EvaluationWriter.writeHistory(soFar, out));
        Evaluation finalTest = Evaluation.of(model.classifier(), s.test(), classes);
        ConfusionMatrix cm = finalTest.confusion();
        BaselineOutcome baseline = null;
        if (baselineSettings != null) {
            baseline = BaselineEvaluation.evaluate(baselineSettings, s.train(), s.test(), classes);
            LOG.info(String.format(Locale.ROOT, "feature baseline on the same split: accuracy %.4f macro-F1 %.4f (%.0f s)",
                    baseline.confusion().accuracy(), baseline.confusion().macroF1(), baseline.seconds()));
        }

        String fingerprint = DatasetFingerprint.of(dataset.recordings());
        String modelVersion = modelVersion(fingerprint);
        Map<String, String> settings = settings(recipe, spec);
        Normalization normalization = model.preprocessor().normalization();
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, modelVersion,
                Instant.now().toString(), classes, spec, 20.0, recipe.channelIds(), recipe.frame().id(),
                BundleManifest.NormalizationStats.of(normalization), model.config(),
                new BundleManifest.Split(s.method(), s.leaky(), seed, testFraction, s.trainUsers(), s.testUsers()),
                new BundleManifest.DatasetInfo(dataset.source(), fingerprint, dataset.sampleCount(), s.train().size(),
                        s.test().size()),
                new BundleManifest.Metrics(cm.accuracy(), finalTest.loss(), cm.macroF1()), settings, figures(cv));
        new ModelBundle(manifest, model.network()).save(out);

        Path testSet = out.resolve("test-set.txt");
        writeTestSet(testSet, dataset, s, segmenter);

        TrainingOutcome outcome = new TrainingOutcome(dataset.source(), dataset.skipped().summary(), dataset.notes(),
                classes, s.method(), s.note(), s.trainUsers(), s.testUsers(), model.fitted().size(), s.test().size(),
                perClass(model.fitted(), classes.size()), testPerClass, settings, model.history(), cm, finalTest.loss(),
                model.trainingSeconds(), modelVersion, model.epochChoice(), model.validationUsers(),
                model.validation().size(), baseline, cv);
        EvaluationWriter.writeAll(outcome, out);

        PrintWriter o = commandSpec.commandLine().getOut();
        o.printf(Locale.ROOT, "%nmodel %s (%s split%s, recipe %s)%n  test accuracy %.4f  macro-F1 %.4f  test loss %.4f"
                        + "%n  %d train / %d validation / %d test windows, %d epochs in %.0f s (%.0f windows/s); %s%n",
                modelVersion, s.method(), s.leaky() ? ", LEAKY" : ", users held out", recipe.name(), cm.accuracy(),
                cm.macroF1(), finalTest.loss(), model.fitted().size(), model.validation().size(), s.test().size(),
                model.history().size(), model.trainingSeconds(),
                (double) model.fitted().size() * model.history().size() / model.trainingSeconds(), model.epochChoice());
        if (baseline != null) {
            o.printf(Locale.ROOT, "  feature baseline: accuracy %.4f  macro-F1 %.4f%n", baseline.confusion().accuracy(),
                    baseline.confusion().macroF1());
        }
        if (cv != null) {
            o.printf(Locale.ROOT, "  %d-fold leave-subjects-out: LSTM accuracy %.4f +- %.4f  macro-F1 %.4f +- %.4f%n",
                    cv.k(), cv.lstmAccuracy().mean(), cv.lstmAccuracy().sd(), cv.lstmMacroF1().mean(),
                    cv.lstmMacroF1().sd());
            if (cv.hasBaseline()) {
                o.printf(Locale.ROOT, "  %d-fold leave-subjects-out: baseline accuracy %.4f +- %.4f  macro-F1 %.4f +- %.4f%n",
                        cv.k(), cv.baselineAccuracy().mean(), cv.baselineAccuracy().sd(), cv.baselineMacroF1().mean(),
                        cv.baselineMacroF1().sd());
            }
        }
        o.printf(Locale.ROOT, "  written to %s (open report.html)%n", out.toAbsolutePath());
        o.flush();
        LOG.info("total wall time {} s", Math.round((System.nanoTime() - t0) / 1e9));
        return 0;
    }

    private Recipe validateOptions() {
        if (!"user".equals(split) && !"random".equals(split)) {
            throw new TrainerException("--split must be 'user' or 'random', got '" + split + "'");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new TrainerException("--test-fraction must be between 0 and 1, got " + testFraction);
        }
        if (workers == null) {
            workers = Runtime.getRuntime().availableProcessors();
        }
        if (trainEvalWindows < 1 || workers < 1 || baselineTrees < 0 || cvFolds < 0) {
            throw new TrainerException("--train-eval-windows and --workers must be positive, --baseline-trees and "
                    + "--cv not negative");
        }
        backprop = switch (backpropName.toLowerCase(Locale.ROOT)) {
            case "harstream" -> Backprop.HARSTREAM;
            case "dl4j" -> Backprop.DL4J;
            default -> throw new TrainerException("--backprop must be harstream or dl4j, got '" + backpropName + "'");
        };
        if (cvFolds == 1) {
            throw new TrainerException("--cv needs at least 2 folds (or 0 for none), got 1");
        }
        try {
            new WindowSpec(windowLength, hop, maxGapMs);
            return recipeOptions.resolve();
        } catch (IllegalArgumentException e) {
            throw new TrainerException(e.getMessage(), e);
        }
    }

    private static BundleManifest.CrossValidationFigures figures(CrossValidationOutcome cv) {
        if (cv == null) {
            return null;
        }
        return new BundleManifest.CrossValidationFigures(cv.k(), cv.lstmAccuracy().mean(), cv.lstmAccuracy().sd(),
                cv.lstmMacroF1().mean(), cv.lstmMacroF1().sd(),
                cv.hasBaseline() ? cv.baselineAccuracy().mean() : null,
                cv.hasBaseline() ? cv.baselineMacroF1().mean() : null);
    }

    /**
     * Every labelled window of the data set, read in the recipe's axes frame. The frame runs per person over
     * all of the person's windows in recording order, unlabelled ones included: exactly what the stream-app
     * does per device when the test set is replayed (one device per person).
     */
    private static List<LabeledWindow> cut(Dataset dataset, Segmenter segmenter, AxesFrame frame) {
        List<LabeledWindow> windows = new ArrayList<>();
        Map<String, UnaryOperator<Window>> frames = new HashMap<>();
        int longest = 0;
        for (int i = 0; i < dataset.recordings().size(); i++) {
            Recording r = dataset.recordings().get(i);
            for (Recording series : segmenter.splitSeries(r)) {
                longest = Math.max(longest, series.size());
            }
            UnaryOperator<Window> turn = frames.computeIfAbsent(r.user(), u -> frame.forDevice());
            for (Window w : segmenter.cut(r)) {
                Window turned = turn.apply(w);
                if (turned.labelled()) {
                    windows.add(new LabeledWindow(r.user(), i, turned));
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

    /**
     * Writes every recording of the people the test windows came from, in data set order (a person's whole
     * history: the walking frame the stream-app keeps per device starts at the first of them), then reads the
     * file back and re-cuts it with the same segmenter: the windows must come out identical, or the replay
     * check downstream would be comparing different things.
     */
    private static void writeTestSet(Path file, Dataset dataset, Split s, Segmenter segmenter) throws IOException {
        Set<String> people = new HashSet<>();
        s.test().forEach(w -> people.add(w.user()));
        List<Recording> recordings = dataset.recordings().stream().filter(r -> people.contains(r.user())).toList();
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

    /** The seed of everything random in training; the split's and folds' seed stays {@link #seed}. */
    private long trainingSeed() {
        return initSeed != null ? initSeed : seed;
    }

    private String modelVersion(String fingerprint) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        return stamp + "-" + fingerprint.substring(0, 8);
    }

    private Map<String, String> settings(Recipe recipe, WindowSpec spec) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("split", split);
        r.put("test fraction", Double.toString(testFraction));
        r.put("seed", Long.toString(seed));
        r.put("init seed", Long.toString(trainingSeed()));
        r.putAll(recipe.describe());
        r.put("window", spec.length() + " samples, hop " + spec.hop() + ", max gap " + spec.maxGapMs() + " ms");
        r.put("training threads", Integer.toString(workers));
        r.put("backprop", backprop.name().toLowerCase(Locale.ROOT));
        return r;
    }
}
