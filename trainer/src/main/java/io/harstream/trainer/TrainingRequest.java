package io.harstream.trainer;

import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.recipe.Recipe;
import io.soabase.recordbuilder.core.RecordBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One training run, as {@link Trainer#run} takes it: what to read, how to split it, the recipe, and where the
 * outputs go. {@link #builder()} starts from the defaults, stated here once (the command line shows them in
 * {@code train --help}); the constructor refuses what cannot run, with a {@link TrainerException} naming the
 * command-line option.
 *
 * @param data                 where the recordings come from
 * @param split                whole users held out, or windows at random (leaky)
 * @param testFraction         share of users ({@code USER}) or windows ({@code RANDOM}) held out, in (0, 1)
 * @param testUsers            exact users to hold out with the user split instead of a seeded draw; empty for a draw
 * @param seed                 seed of the split, the cross-validation folds and synthetic data, and of training
 *                             unless {@code initSeed} is given
 * @param initSeed             seed of training alone (initialisation, shuffling, augmentation, dropout, the
 *                             baseline's trees), or null for {@code seed}
 * @param window               how windows are cut
 * @param recipe               how the network is trained
 * @param crossValidationFolds leave-subjects-out folds run before the final model, 0 for none (never 1)
 * @param baselineTrees        trees of the feature baseline trained beside the LSTM, 0 for none
 * @param workers              threads each training step is split over
 * @param backprop             what computes the gradients
 * @param trainEvalWindows     training windows (a fixed seeded sample) scored after each epoch for the curves
 * @param smoothing            whether the bundle smooths predictions over each device's windows, learned from the
 *                             training people; the evaluation then reports raw and smoothed figures side by side
 * @param calibrationUsers     share of the training people held out (by a second, calibration network) to fit
 *                             the bundle's temperature and the smoother's evidence exponent, in [0, 1); 0 for no
 *                             calibration. A recipe with validation users fits on those instead
 * @param out                  output directory (created; existing files are replaced)
 */
@RecordBuilder
public record TrainingRequest(DataSource data, Split.Method split, double testFraction, List<String> testUsers,
                              long seed, Long initSeed, WindowSpec window, Recipe recipe, int crossValidationFolds,
                              int baselineTrees, int workers, Backprop backprop, int trainEvalWindows,
                              Smoothing smoothing, double calibrationUsers, Path out)
        implements TrainingRequestBuilder.With {

    public TrainingRequest {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(backprop, "backprop");
        Objects.requireNonNull(smoothing, "smoothing");
        Objects.requireNonNull(out, "out");
        testUsers = testUsers == null ? List.of() : List.copyOf(testUsers);
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new TrainerException("--test-fraction must be between 0 and 1, got " + testFraction);
        }
        if (trainEvalWindows < 1 || workers < 1 || baselineTrees < 0 || crossValidationFolds < 0) {
            throw new TrainerException("--train-eval-windows and --workers must be positive, --baseline-trees and "
                    + "--cv not negative");
        }
        if (!(calibrationUsers >= 0 && calibrationUsers < 1)) {
            throw new TrainerException("--calibration-users must be at least 0 and below 1, got " + calibrationUsers);
        }
        if (crossValidationFolds == 1) {
            throw new TrainerException("--cv needs at least 2 folds (or 0 for none), got 1");
        }
    }

    /**
     * A builder holding the defaults: the {@link DataSource#SYNTHETIC synthetic} data, the user split with a fifth
     * of the people held out, seed 42, {@link WindowSpec#DEFAULT the seed's windows}, the
     * {@link Recipe#generalizing() default recipe}, no cross-validation, a baseline of 100 trees, one training
     * thread per core, harstream's backprop, 4096 windows for the train curves, {@link Smoothing#HMM smoothing},
     * calibration on a fifth of the training people, and {@code out/model}.
     */
    public static TrainingRequestBuilder builder() {
        return TrainingRequestBuilder.builder().data(DataSource.SYNTHETIC).split(Split.Method.USER).testFraction(0.2)
                .testUsers(List.of()).seed(42).window(WindowSpec.DEFAULT).recipe(Recipe.generalizing())
                .crossValidationFolds(0).baselineTrees(100).workers(Runtime.getRuntime().availableProcessors())
                .backprop(Backprop.HARSTREAM).trainEvalWindows(4096).smoothing(Smoothing.HMM).calibrationUsers(0.2).out(Path.of("out/model"));
    }

    /** The request with every default. */
    public static TrainingRequest defaults() {
        return builder().build();
    }

    /** The seed of everything random in training; the split's and folds' seed stays {@link #seed}. */
    public long trainingSeed() {
        return initSeed != null ? initSeed : seed;
    }
}
