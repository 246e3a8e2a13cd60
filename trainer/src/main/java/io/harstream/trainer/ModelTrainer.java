package io.harstream.trainer;

import io.harstream.core.features.Normalization;
import io.harstream.core.features.Preprocessor;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.fit.TrainingStep;
import io.harstream.trainer.recipe.Recipe;
import io.harstream.trainer.report.EpochStats;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains one network by a {@link Recipe}: fits the normalization on the training windows, holds back the
 * recipe's validation users (if any), trains with the recipe's augmentation and keeps the epoch validation chose
 * (the last one without validation).
 * The bundled model and every cross-validation fold are trained by this one method.
 */
final class ModelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTrainer.class);

    /**
     * @param network          the trained network, holding the kept epoch's parameters
     * @param config           its configuration
     * @param preprocessor     channels and the normalization fitted on the training windows
     * @param classifier       the network behind the shared inference path
     * @param history          one row per epoch
     * @param keptEpoch        the epoch the network holds
     * @param epochChoice      why, in a sentence
     * @param trainingSeconds  wall time of the training loop
     * @param fitted           windows the optimizer saw
     * @param validation       windows held back to choose the epoch (empty without validation)
     * @param validationUsers  users of those windows (empty for the random split: windows, not users, were held back)
     */
    record TrainedModel(MultiLayerNetwork network, NetworkConfig config, Preprocessor preprocessor,
                        ActivityClassifier classifier, List<EpochStats> history, int keptEpoch, String epochChoice,
                        double trainingSeconds, List<LabeledWindow> fitted, List<LabeledWindow> validation,
                        List<String> validationUsers) {
    }

    private final Recipe recipe;
    private final List<String> classes;
    private final int windowLength;
    private final int trainEvalWindows;
    private final int workers;
    private final Backprop backprop;

    /**
     * @param trainEvalWindows training windows (a fixed seeded sample) scored after each epoch for the curves
     * @param workers          threads a training step is split over
     * @param backprop         which code computes the gradients (the same step either way)
     */
    ModelTrainer(Recipe recipe, List<String> classes, int windowLength, int trainEvalWindows, int workers,
                 Backprop backprop) {
        this.recipe = recipe;
        this.classes = List.copyOf(classes);
        this.windowLength = windowLength;
        this.trainEvalWindows = trainEvalWindows;
        this.workers = workers;
        this.backprop = backprop;
    }

    /**
     * @param train      the training side of a split; validation windows are carved out of it
     * @param byUser     hold out whole users for validation (false: random windows, for the leaky split)
     * @param test       shown in the per-epoch curves only; may be empty
     * @param label      progress label, e.g. "train" or "fold 2/5"
     * @param afterEpoch called with the history so far after every epoch
     */
    TrainedModel train(List<LabeledWindow> train, boolean byUser, List<LabeledWindow> test, long seed, String label,
                       Consumer<List<EpochStats>> afterEpoch) {
        List<LabeledWindow> fitted = train;
        List<LabeledWindow> validation = List.of();
        List<String> validationUsers = List.of();
        if (recipe.validationFraction() > 0) {
            Split holdout = validationHoldout(train, byUser, seed);
            if (holdout != null) {
                fitted = holdout.train();
                validation = holdout.test();
                validationUsers = byUser ? holdout.testUsers() : List.of();
                LOG.info("{}: {} validation windows{} held back to choose the epoch", label, validation.size(),
                        byUser ? " from users " + validationUsers : "");
            }
        }
        Normalization normalization = Normalization.fit(fitted.stream().map(LabeledWindow::window).toList(),
                recipe.channels());
        Preprocessor preprocessor = new Preprocessor(recipe.channels(), normalization);
        NetworkConfig config = recipe.network(classes.size(), seed);
        MultiLayerNetwork network = HarNetwork.create(config, windowLength);
        ActivityClassifier classifier = new ActivityClassifier(network, preprocessor, 1024);
        LOG.info("{}: {} parameters, {} windows, at most {} epochs of batch {}", label, network.numParams(),
                fitted.size(), recipe.epochs(), recipe.batchSize());

        List<LabeledWindow> trainSample = sample(fitted, trainEvalWindows, seed);
        List<LabeledWindow> validationWindows = validation;
        TrainingLoop.EpochEvaluator evaluator = new TrainingLoop.EpochEvaluator() {
            @Override
            public Evaluation train() {
                return Evaluation.of(classifier, trainSample, classes);
            }

            @Override
            public Evaluation validation() {
                return validationWindows.isEmpty() ? null : Evaluation.of(classifier, validationWindows, classes);
            }

            @Override
            public Evaluation test() {
                return test.isEmpty() ? null : Evaluation.of(classifier, test, classes);
            }
        };
        long start = System.nanoTime();
        TrainingLoop.Result result;
        try (TrainingStep fitter = backprop.stepFor(network, windowLength, workers)) {
            LOG.info("{}: gradients by {}", label, fitter.description());
            result = new TrainingLoop(network, fitter, recipe.epochs(), recipe.batchSize(), recipe.patience(), seed,
                    label).run(new TensorSet(fitted, preprocessor, classes.size(), recipe.augmentation()), evaluator,
                    afterEpoch);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("{}: {}", label, result.epochChoice());
        return new TrainedModel(network, config, preprocessor, classifier, result.history(), result.keptEpoch(),
                result.epochChoice(), seconds, fitted, validation, validationUsers);
    }

    /** The recipe's share of the training users (or windows) as validation, or null when too few users. */
    private Split validationHoldout(List<LabeledWindow> train, boolean byUser, long seed) {
        long seedForValidation = seed * 31 + 7;
        if (!byUser) {
            return Split.random(train, recipe.validationFraction(), seedForValidation);
        }
        long users = train.stream().map(LabeledWindow::user).distinct().count();
        if (users < 3) {
            LOG.warn("only {} training users: no validation users held back, the last epoch is kept", users);
            return null;
        }
        return Split.byUser(train, recipe.validationFraction(), null, seedForValidation);
    }

    private static List<LabeledWindow> sample(List<LabeledWindow> windows, int max, long seed) {
        if (windows.size() <= max) {
            return windows;
        }
        List<LabeledWindow> copy = new ArrayList<>(windows);
        Collections.shuffle(copy, new Random(seed ^ 0x5DEECE66DL));
        return List.copyOf(copy.subList(0, max));
    }
}
