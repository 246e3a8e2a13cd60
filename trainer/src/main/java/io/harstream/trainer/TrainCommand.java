package io.harstream.trainer;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.recipe.Recipe;
import io.harstream.trainer.recipe.RecipeOptions;
import io.harstream.registry.RegistryException;
import io.harstream.registry.RegistryOptions;
import io.harstream.trainer.report.TrainingOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code harstream train}: the command line of {@link Trainer}. Maps the options to a {@link TrainingRequest}
 * (whose defaults the options show) and the outcome to a summary and an exit code.
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

    private static final TrainingRequest DEFAULTS = TrainingRequest.defaults();

    @Spec
    CommandSpec commandSpec;

    @Mixin
    DataSourceOptions source = new DataSourceOptions();

    @Option(names = "--split", paramLabel = "user|random",
            description = "user: whole users held out (honest figure for new people); random: the seed's 80/20 over "
                    + "windows (leaky, for comparison). Default: ${DEFAULT-VALUE}.")
    Split.Method split = DEFAULTS.split();

    @Option(names = "--test-fraction",
            description = "Share of users (--split user) or windows (--split random) held out. Default: ${DEFAULT-VALUE}.")
    double testFraction = DEFAULTS.testFraction();

    @Option(names = "--test-users", split = ",", paramLabel = "USER",
            description = "Exact users to hold out with --split user (e.g. 1607,1617), instead of a seeded draw.")
    List<String> testUsers;

    @Option(names = "--seed",
            description = "Seed for the split, the cross-validation folds and synthetic data, and for training "
                    + "unless --init-seed is given. Default: ${DEFAULT-VALUE}.")
    long seed = DEFAULTS.seed();

    @Option(names = "--init-seed",
            description = "Seed for training alone: the network's initialisation, shuffling, augmentation, dropout "
                    + "and the baseline's trees. Changing it keeps the same split and folds, so two runs differ only "
                    + "by the training draw (how the run-to-run noise is measured). Default: --seed.")
    Long initSeed;

    @Option(names = "--window",
            description = "Window length in samples (200 = 10 s at 20 Hz). Default: ${DEFAULT-VALUE}.")
    int windowLength = DEFAULTS.window().length();

    @Option(names = "--hop",
            description = "Samples between window starts. Default: ${DEFAULT-VALUE}.")
    int hop = DEFAULTS.window().hop();

    @Option(names = "--max-gap-ms",
            description = "A larger gap between timestamps starts a new series. Default: ${DEFAULT-VALUE}.")
    long maxGapMs = DEFAULTS.window().maxGapMs();

    @Mixin
    RecipeOptions recipeOptions = new RecipeOptions();

    @Option(names = "--cv", arity = "0..1", fallbackValue = "5", paramLabel = "K",
            description = "Also run leave-subjects-out cross-validation with K folds of whole users (--cv alone: 5), "
                    + "each fold training a network by the same recipe and the feature baseline on the same windows; "
                    + "the figures go into metrics.json, report.html and the bundle. 0 = off. Default: ${DEFAULT-VALUE}.")
    int cvFolds = DEFAULTS.crossValidationFolds();

    @Option(names = "--baseline-trees",
            description = "Trees of the feature baseline (a random forest on per-window statistics) trained and "
                    + "tested beside the LSTM; 0 = no baseline. Default: ${DEFAULT-VALUE}.")
    int baselineTrees = DEFAULTS.baselineTrees();

    @Option(names = "--workers",
            description = "Threads each training step is split over (synchronous data parallelism: the same update as "
                    + "one thread up to float rounding). Default: the number of cores.")
    Integer workers;

    @Option(names = "--backprop", paramLabel = "harstream|dl4j",
            description = "What computes the gradients: harstream (its own backward pass, several times faster than "
                    + "DL4J's, falling back to DL4J for a network it does not support) or dl4j. The same loss, "
                    + "gradient and DL4J updater either way. Default: ${DEFAULT-VALUE}.")
    Backprop backprop = DEFAULTS.backprop();

    @Option(names = "--train-eval-windows",
            description = "Training windows (a fixed seeded sample) scored after each epoch for the train curves. "
                    + "Default: ${DEFAULT-VALUE}.")
    int trainEvalWindows = DEFAULTS.trainEvalWindows();

    @Option(names = "--smoothing", paramLabel = "none|hmm",
            description = "hmm: learn how activities follow one another from window to window in the training "
                    + "people and write it into the bundle, so that consumers smooth each device's predictions over "
                    + "time (a causal HMM filter); the evaluation reports raw and smoothed figures. none: the bundle "
                    + "serves the network's predictions as they are. Default: ${DEFAULT-VALUE}.")
    Smoothing smoothing = DEFAULTS.smoothing();

    @Option(names = "--calibration-users", paramLabel = "FRACTION",
            description = "Share of the training people held out to calibrate: a second network trained by the same "
                    + "recipe without them predicts them, and the bundle gets the temperature that makes its "
                    + "probabilities honest on them and the smoother's evidence exponent that smooths them best; "
                    + "the final network still trains on every training person. A recipe with validation users "
                    + "calibrates on those instead. 0 = no calibration. Default: ${DEFAULT-VALUE}.")
    double calibrationUsers = DEFAULTS.calibrationUsers();

    @Option(names = {"-o", "--out"},
            description = "Output directory (created; existing files are replaced). Default: ${DEFAULT-VALUE}.")
    Path out = DEFAULTS.out();

    @Option(names = "--publish",
            description = "After writing the bundle, publish it to the models topic, as ./harstream models publish "
                    + "does (-b, --kafka, --topic, --timeout say where). Kafka is checked before training starts.")
    boolean publish;

    @Option(names = "--publish-role", paramLabel = "active|candidate",
            description = "The role it is published in (with --publish). Default: candidate.")
    String publishRole;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with harstream's error handling: input problems print one line and exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getCommandSpec().usageMessage().footer(RecipeOptions.recipesHelp());
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
        TrainingRequest request = request();
        Optional<ModelPublication> publication = publication();
        TrainingOutcome outcome = Trainer.run(request, Trainer.Progress.NONE);
        PrintWriter o = commandSpec.commandLine().getOut();
        o.print(TrainingSummary.of(request, outcome));
        o.flush();
        if (publication.isPresent()) {
            o.println(publication.get().publish(request.out()));
            o.flush();
        }
        return 0;
    }

    /** Where --publish goes, Kafka checked already; empty without --publish. */
    private Optional<ModelPublication> publication() {
        if (!publish) {
            if (registry.given() || publishRole != null) {
                throw new TrainerException("-b, --kafka, --topic, --timeout and --publish-role are for --publish");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(ModelPublication.checked(registry.target(),
                    ModelRole.fromId(publishRole == null ? ModelRole.CANDIDATE.id() : publishRole)));
        } catch (IllegalArgumentException e) {
            throw new TrainerException("--publish-role: " + e.getMessage(), e);
        } catch (RegistryException e) {
            throw new TrainerException(e.getMessage(), e);
        }
    }

    /** The options as a request; a bad window or recipe setting is a {@link TrainerException} like the rest. */
    TrainingRequest request() {
        WindowSpec window;
        Recipe recipe;
        try {
            window = new WindowSpec(windowLength, hop, maxGapMs);
            recipe = recipeOptions.resolve();
        } catch (IllegalArgumentException e) {
            throw new TrainerException(e.getMessage(), e);
        }
        TrainingRequestBuilder request = TrainingRequest.builder().data(source.toSource()).split(split)
                .testFraction(testFraction).testUsers(testUsers).seed(seed).initSeed(initSeed).window(window)
                .recipe(recipe).crossValidationFolds(cvFolds).baselineTrees(baselineTrees).backprop(backprop)
                .trainEvalWindows(trainEvalWindows).smoothing(smoothing).calibrationUsers(calibrationUsers).out(out);
        if (workers != null) {
            request.workers(workers);
        }
        return request.build();
    }
}
