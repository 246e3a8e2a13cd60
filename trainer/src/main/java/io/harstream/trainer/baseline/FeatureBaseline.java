package io.harstream.trainer.baseline;

import io.harstream.core.window.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The feature-based baseline shown beside the LSTM: a random forest of CART trees (Tribuo) on the
 * per-window statistics of {@link WindowFeatures}. It sees the same windows and folds as the LSTM,
 * so the difference between the two is what the sequence model buys over summary statistics.
 *
 * <p>Each feature is binned into at most {@value #BINS} quantile bins fitted on the training
 * windows ({@link QuantileBins}), and prediction bins new windows with the same edges.
 *
 * <p>Immutable once trained.
 */
public final class FeatureBaseline {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureBaseline.class);

    /**
     * Tribuo logs "Building model i" per tree through java.util.logging at INFO; one summary line
     * of our own is enough. Held in a field: java.util.logging keeps loggers only weakly, and a
     * collected logger would forget the level.
     */
    private static final java.util.logging.Logger TRIBUO_BAGGING_LOG = quiet(BaggingTrainer.class.getName());

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    /**
     * Trees stop at depth 6 (at most 64 leaves). On leave-subjects-out folds of the WISDM-2019
     * subjects shallow trees generalised better to unseen people than deep ones, and unlimited
     * depth worse still (BENCHMARKS.md#feature-baseline): deep trees learn the training subjects'
     * quirks. Chosen on those same folds, so the baseline's figure there is slightly optimistic.
     * Depth barely changes the training time, which goes mostly into preparing each tree's
     * bootstrap sample.
     */
    static final int MAX_DEPTH = 6;

    /**
     * Quantile bins per feature (see {@link QuantileBins}). Tribuo's CART cost grows with the
     * distinct values per feature: 64 bins made training several times faster with no loss of
     * held-out accuracy, where 32 bins lost some (BENCHMARKS.md#feature-baseline).
     */
    static final int BINS = 64;

    private static final String[] FEATURE_NAMES = WindowFeatures.names().toArray(String[]::new);

    /** Features tried per split: sqrt(n) of n, the usual choice for classification forests. */
    private static final float FEATURE_FRACTION =
            (float) (Math.ceil(Math.sqrt(FEATURE_NAMES.length)) / FEATURE_NAMES.length);

    private static final LabelFactory LABELS = new LabelFactory();

    /**
     * @param trees trees in the forest, {@code >= 1}
     * @param seed  seed for the bootstrap samples and the feature subsets: the same seed and data
     *              give the same forest
     */
    public record Settings(int trees, long seed) {

        public Settings {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be >= 1, got " + trees);
            }
        }

        /**
         * 100 trees. Tribuo grows the trees one after the other on one thread, so the forest's
         * training time grows with their number (BENCHMARKS.md#feature-baseline).
         */
        public static Settings defaults(long seed) {
            return new Settings(100, seed);
        }
    }

    private final Model<Label> model;
    private final QuantileBins bins;
    private final Map<String, Integer> classIndex;
    private final int trees;

    private FeatureBaseline(Model<Label> model, QuantileBins bins, Map<String, Integer> classIndex, int trees) {
        this.model = model;
        this.bins = bins;
        this.classIndex = classIndex;
        this.trees = trees;
    }

    /**
     * Trains on the training windows, returns a model that predicts class indices.
     *
     * @param windows  training windows (their own {@link Window#label()} is ignored)
     * @param labels   class index of each window, into {@code classes}
     * @param classes  distinct class names; classes without training windows are simply never predicted
     * @throws IllegalArgumentException on no windows, a length mismatch, a label outside
     *                                  {@code classes}, duplicate class names, or a window whose
     *                                  features are not finite (NaN or infinite samples)
     */
    public static FeatureBaseline train(List<Window> windows, int[] labels, List<String> classes, Settings settings) {
        if (windows == null || windows.isEmpty()) {
            throw new IllegalArgumentException("no training windows");
        }
        if (labels == null || labels.length != windows.size()) {
            throw new IllegalArgumentException("got " + windows.size() + " windows but "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("no classes");
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("duplicate class names: " + classes);
        }
        if (settings == null) {
            throw new IllegalArgumentException("no settings");
        }
        Map<String, Integer> classIndex = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }

        long start = System.nanoTime();
        double[][] rows = new double[windows.size()][];
        for (int i = 0; i < windows.size(); i++) {
            int label = labels[i];
            if (label < 0 || label >= classes.size()) {
                throw new IllegalArgumentException("label " + label + " of window " + i
                        + " is not an index into the " + classes.size() + " classes");
            }
            rows[i] = features(windows.get(i), i);
        }
        long extracted = System.nanoTime();
        QuantileBins bins = QuantileBins.fit(rows, BINS);
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("harstream training windows", LABELS), LABELS);
        for (int i = 0; i < windows.size(); i++) {
            data.add(new ArrayExample<>(new Label(classes.get(labels[i])), FEATURE_NAMES, bins.apply(rows[i])));
        }

        CARTClassificationTrainer cart = new CARTClassificationTrainer(MAX_DEPTH, FEATURE_FRACTION, settings.seed());
        RandomForestTrainer<Label> forest =
                new RandomForestTrainer<>(cart, new VotingCombiner(), settings.trees(), settings.seed());
        Model<Label> model = forest.train(data);
        long done = System.nanoTime();
        LOG.info("feature baseline: {} trees on {} windows x {} features ({} of {} classes present) in {} s"
                        + " ({} s extracting features)",
                settings.trees(), windows.size(), FEATURE_NAMES.length, data.getOutputs().size(), classes.size(),
                seconds(done - start), seconds(extracted - start));
        return new FeatureBaseline(model, bins, Map.copyOf(classIndex), settings.trees());
    }

    /**
     * Predicted class index (index into {@code classes}) for every window, in order. Only classes
     * that had training windows are ever predicted.
     *
     * @throws IllegalArgumentException if a window is empty or its features are not finite
     */
    public int[] predict(List<Window> windows) {
        List<Example<Label>> examples = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, FEATURE_NAMES, bins.apply(features(windows.get(i), i))));
        }
        List<Prediction<Label>> predictions = model.predict(examples);
        int[] out = new int[predictions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = classIndex.get(predictions.get(i).getOutput().getLabel());
        }
        return out;
    }

    /** E.g. {@code random forest, 100 CART trees (depth <= 6), 63 per-window statistics (Tribuo 4.3.2)}. */
    public String description() {
        return "random forest, " + trees + " CART trees (depth <= " + MAX_DEPTH + "), " + FEATURE_NAMES.length
                + " per-window statistics (Tribuo " + Tribuo.VERSION + ")";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static double[] features(Window window, int index) {
        double[] features;
        try {
            features = WindowFeatures.of(window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("window " + index + ": " + e.getMessage(), e);
        }
        for (int f = 0; f < features.length; f++) {
            if (!Double.isFinite(features[f])) {
                throw new IllegalArgumentException("window " + index + " has a non-finite "
                        + FEATURE_NAMES[f] + " (" + features[f] + "): NaN or infinite samples?");
            }
        }
        return features;
    }
}
