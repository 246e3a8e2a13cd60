package io.harstream.trainer;

import io.harstream.core.data.Dataset;
import io.harstream.core.data.DatasetFingerprint;
import io.harstream.core.data.Recording;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.Calibration;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.baseline.FeatureBaseline;
import io.harstream.trainer.recipe.Recipe;
import io.harstream.trainer.report.BaselineOutcome;
import io.harstream.trainer.report.CalibrationFigures;
import io.harstream.trainer.report.ConfusionMatrix;
import io.harstream.trainer.report.CrossValidationOutcome;
import io.harstream.trainer.report.EpochStats;
import io.harstream.trainer.report.EvaluationWriter;
import io.harstream.trainer.report.ActivityStrip;
import io.harstream.trainer.report.SmoothedFigures;
import io.harstream.trainer.report.TrainingOutcome;
import io.harstream.trainer.report.TrainingOutcomeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The training API: reads the recordings, cuts windows, splits, optionally cross-validates, trains the LSTM and the
 * feature baseline, evaluates, and writes the model bundle, history, metrics, plots, report and test set into
 * {@link TrainingRequest#out()}. {@code harstream train} and the demo both train through {@link #run}.
 */
public final class Trainer {

    /** The sample rate windows assume, recorded in the bundle. */
    static final double SAMPLE_RATE_HZ = 20.0;

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Told after every epoch of the final model (cross-validation folds are only logged). */
    @FunctionalInterface
    public interface Progress {
        /** Reports nothing. */
        Progress NONE = epoch -> { };

        /** Called on the training thread once the epoch is trained and scored. */
        void epochDone(EpochStats epoch);
    }

    private Trainer() {
    }

    /**
     * Runs the request and returns what the evaluation files were made from.
     *
     * @throws TrainerException on input that cannot train (unreadable data, no windows, a class without training
     *                          windows, an empty test split): the message says what and which option
     * @throws IOException      when an output cannot be written
     */
    public static TrainingOutcome run(TrainingRequest request, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        Path out = request.out();
        Recipe recipe = request.recipe();
        Files.createDirectories(out);

        Dataset dataset = request.data().load(request.seed());
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

        WindowSpec spec = request.window();
        Segmenter segmenter = new Segmenter(spec, dataset.activities());
        List<LabeledWindow> windows = cut(dataset, segmenter, recipe.frame());
        LOG.info("{} windows of {} samples every {} samples", windows.size(), spec.length(), spec.hop());
        List<String> classes = dataset.activities();
        LOG.info("recipe: {}", recipe.describe());
        ModelTrainer trainer = new ModelTrainer(recipe, classes, spec.length(), request.trainEvalWindows(),
                request.workers(), request.backprop());
        long trainingSeed = request.trainingSeed();
        FeatureBaseline.Settings baselineSettings = request.baselineTrees() > 0
                ? new FeatureBaseline.Settings(request.baselineTrees(), trainingSeed) : null;

        Function<List<LabeledWindow>, SmoothingModel> learn = request.smoothing() == Smoothing.HMM
                ? train -> SmoothingFit.learn(train, classes.size(), spec, SAMPLE_RATE_HZ) : null;
        CrossValidationOutcome cv = null;
        if (request.crossValidationFolds() > 0) {
            cv = CrossValidation.run(windows, classes, request.crossValidationFolds(), request.seed(), trainingSeed,
                    trainer, recipe.name(), baselineSettings, learn, request.calibrationUsers());
        }

        Split s = switch (request.split()) {
            case USER -> Split.byUser(windows, request.testFraction(), request.testUsers(), request.seed());
            case RANDOM -> Split.random(windows, request.testFraction(), request.seed());
        };
        long[] trainPerClass = perClass(s.train(), classes.size());
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
                soFar -> {
                    EvaluationWriter.writeHistory(soFar, out);
                    progress.epochDone(soFar.get(soFar.size() - 1));
                });
        // After the final network, so that it trains exactly as without calibration.
        CalibrationFit.Result fit = CalibrationFit.fit(trainer, model, s.train(), request.calibrationUsers(),
                request.seed(), trainingSeed, "train", classes, learn);
        double temperature = fit == null ? 1 : fit.temperature();
        Evaluation uncalibrated = Evaluation.of(model.classifier(), s.test(), classes);
        Evaluation finalTest = fit == null ? uncalibrated : Evaluation.of(new ActivityClassifier(model.network(),
                model.preprocessor(), 1024, 1, temperature), s.test(), classes);
        ConfusionMatrix cm = finalTest.confusion();
        SmoothingModel smoothing = null;
        SmoothedFigures smoothed = null;
        SmoothedFigures plainSmoothed = null;
        ActivityStrip strip = null;
        if (learn != null) {
            SmoothingModel plain = learn.apply(s.train());
            smoothing = plain.withEvidenceExponent(fit == null ? 1 : fit.evidenceExponent());
            if (fit != null) {
                plainSmoothed = SmoothedEvaluation.of(new ActivitySmoother(plain, classes.size()), s.test(),
                        uncalibrated.probabilities(), classes);
            }
            ActivitySmoother smoother = new ActivitySmoother(smoothing, classes.size());
            smoothed = SmoothedEvaluation.of(smoother, s.test(), finalTest.probabilities(), classes);
            strip = SmoothedEvaluation.strip(smoother, s.test(), finalTest.probabilities(), classes);
            LOG.info(String.format(Locale.ROOT, "smoothed over each test user's windows: accuracy %.4f macro-F1 %.4f "
                    + "(raw %.4f / %.4f); each recording voted by its raw labels %.4f", smoothed.causal().accuracy(),
                    smoothed.causal().macroF1(), cm.accuracy(), cm.macroF1(), smoothed.blockVote().accuracy()));
        }
        CalibrationFigures calibration = null;
        if (fit != null) {
            calibration = CalibrationFit.figures(fit, s.test(), uncalibrated.probabilities(),
                    finalTest.probabilities(), plainSmoothed);
            LOG.info("calibrated: {}{}", CalibrationFit.describe(calibration), plainSmoothed == null ? ""
                    : String.format(Locale.ROOT, "; smoothed without calibration (exponent 1) %.4f",
                            plainSmoothed.causal().accuracy()));
        }
        BaselineOutcome baseline = null;
        if (baselineSettings != null) {
            baseline = BaselineEvaluation.evaluate(baselineSettings, s.train(), s.test(), classes);
            LOG.info(String.format(Locale.ROOT, "feature baseline on the same split: accuracy %.4f macro-F1 %.4f (%.0f s)",
                    baseline.confusion().accuracy(), baseline.confusion().macroF1(), baseline.seconds()));
        }

        String fingerprint = DatasetFingerprint.of(dataset.recordings());
        String modelVersion = modelVersion(fingerprint);
        Map<String, String> settings = settings(request);
        BundleManifest manifest = BundleManifest.builder().modelVersion(modelVersion)
                .createdAt(Instant.now().toString()).classes(classes).window(spec).sampleRateHz(SAMPLE_RATE_HZ).channels(recipe.channelIds())
                .frame(recipe.frame().id())
                .normalization(BundleManifest.NormalizationStats.of(model.preprocessor().normalization()))
                .network(model.config())
                .split(new BundleManifest.Split(s.method(), s.leaky(), request.seed(), request.testFraction(),
                        s.trainUsers(), s.testUsers()))
                .dataset(new BundleManifest.DatasetInfo(dataset.source(), fingerprint, dataset.sampleCount(),
                        s.train().size(), s.test().size()))
                .metrics(new BundleManifest.Metrics(cm.accuracy(), finalTest.loss(), cm.macroF1()))
                .recipe(settings).crossValidation(figures(cv)).smoothing(smoothing)
                .calibration(fit == null ? null : new Calibration(fit.temperature(), fit.users(), fit.windows(),
                        fit.eceBefore(), fit.eceAfter()))
                .build();
        new ModelBundle(manifest, model.network()).save(out);

        writeTestSet(out.resolve("test-set.txt"), dataset, s, segmenter);

        TrainingOutcome outcome = TrainingOutcomeBuilder.builder().dataSource(dataset.source())
                .skipSummary(dataset.skipped().summary()).readerNotes(dataset.notes()).classes(classes)
                .splitMethod(s.method()).splitNote(s.note()).trainUsers(s.trainUsers()).testUsers(s.testUsers())
                .trainWindows(model.fitted().size()).testWindows(s.test().size())
                .trainWindowsPerClass(perClass(model.fitted(), classes.size()))
                .testWindowsPerClass(perClass(s.test(), classes.size())).hyperparameters(settings)
                .history(model.history()).confusion(cm).testLoss(finalTest.loss())
                .trainingSeconds(model.trainingSeconds()).modelVersion(modelVersion).epochChoice(model.epochChoice())
                .validationUsers(model.validationUsers()).validationWindows(model.validation().size())
                .baseline(baseline).crossValidation(cv).smoothed(smoothed).strip(strip).calibration(calibration).build();
        EvaluationWriter.writeAll(outcome, out);
        LOG.info("total wall time {} s", Math.round((System.nanoTime() - t0) / 1e9));
        return outcome;
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

    private static String modelVersion(String fingerprint) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        return stamp + "-" + fingerprint.substring(0, 8);
    }

    /** Every setting of the run as display text, in a fixed order; the bundle and the report record it. */
    private static Map<String, String> settings(TrainingRequest request) {
        WindowSpec spec = request.window();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("split", request.split().toString());
        r.put("test fraction", Double.toString(request.testFraction()));
        r.put("seed", Long.toString(request.seed()));
        r.put("init seed", Long.toString(request.trainingSeed()));
        r.putAll(request.recipe().describe());
        r.put("window", spec.length() + " samples, hop " + spec.hop() + ", max gap " + spec.maxGapMs() + " ms");
        r.put("training threads", Integer.toString(request.workers()));
        r.put("backprop", request.backprop().name().toLowerCase(Locale.ROOT));
        r.put("calibration users", Double.toString(request.calibrationUsers()));
        return r;
    }
}
