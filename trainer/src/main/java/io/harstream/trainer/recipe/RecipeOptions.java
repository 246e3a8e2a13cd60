package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.window.AxesFrame;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;

/**
 * {@code --recipe} and the options that change one of its settings. Every override is {@code null} unless
 * given, so {@code --recipe original --dropout 0.3} is the original recipe with dropout and nothing else changed.
 * Each recipe's settings are stated once, in {@link Recipe}; {@link #recipesHelp()} lists them for {@code --help}.
 */
public final class RecipeOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private String recipe = Recipe.DEFAULT_NAME;

    @Option(names = "--recipe", defaultValue = Recipe.DEFAULT_NAME, paramLabel = "default|original",
            description = {"Training recipe. default: the best recipe measured by leave-subjects-out "
                    + "cross-validation. original: the seed's hyperparameters exactly ('seed', its earlier name, "
                    + "still works). Their settings are listed under Recipes below; the options that follow change "
                    + "one setting of it. Default: ${DEFAULT-VALUE}."})
    void recipe(String name) {
        if (Recipe.DEPRECATED_ORIGINAL_NAME.equals(name)) {
            command.commandLine().getErr().println("--recipe " + name + " is deprecated: it is now called '"
                    + Recipe.ORIGINAL_NAME + "' (the same hyperparameters)");
        }
        recipe = name;
    }

    @Option(names = "--epochs", description = "Most training epochs.")
    Integer epochs;

    @Option(names = "--batch-size", description = "Mini-batch size.")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam learning rate (initial, with decay).")
    Double learningRate;

    @Option(names = "--lr-schedule", paramLabel = "constant|cosine",
            description = "Learning-rate schedule over the epochs.")
    String schedule;

    @Option(names = "--l2", description = "L2 weight decay.")
    Double l2;

    @Option(names = "--hidden", description = "Units of the dense layer and of each LSTM layer.")
    Integer hidden;

    @Option(names = "--dropout", description = "Dropout before the second LSTM layer and the softmax, 0 = off.")
    Double dropout;

    @Option(names = "--forget-gate-bias", description = "Initial LSTM forget-gate bias.")
    Double forgetGateBias;

    @Option(names = "--clip", description = "Per-layer gradient L2-norm clipping, 0 = off.")
    Double clip;

    @Option(names = "--channels", split = ",", paramLabel = "CHANNEL",
            description = "Input channels: x, y, z, magnitude (|a|), vertical and horizontal (the acceleration along and across the "
                    + "window's mean direction, i.e. gravity: the same however the phone is turned), jerk (|a_t - a_t-1|, "
                    + "the small fast motions on a scale of their own).")
    List<String> channels;

    @Option(names = "--frame", paramLabel = "phone|walking",
            description = "Axes the windows are read in: phone (as recorded) or walking (each person's, or device's, "
                    + "axes turned so that gravity while they move points along +y: how the phone lies in the pocket "
                    + "then no longer decides what standing and sitting look like).")
    String frame;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = {"Training-window augmentation, comma-separated: rotate=DEG (any axis), rotate-long=DEG "
                    + "(about the phone's long y axis), rotate-screen=DEG (about z), flip (upside down, half the "
                    + "windows), scale=F (all axes by 1+-F), jitter=F (Gaussian noise, m/s^2), stretch=F (played 1+-F times as fast), "
                    + "or none."})
    String augment;

    @Option(names = "--validation-fraction",
            description = "Share of the training users held back to choose the epoch (windows with --split random); "
                    + "0 keeps the last epoch.")
    Double validationFraction;

    @Option(names = "--patience", description = "Stop after this many epochs without a better validation accuracy, "
            + "0 = train all epochs.")
    Integer patience;

    /**
     * The chosen recipe with the given overrides; named "custom (from X)" when they change any setting (an option
     * given with the recipe's own value keeps its name).
     */
    public Recipe resolve() {
        Recipe r = Recipe.named(recipe);
        boolean cosine = r.cosineDecay();
        if (schedule != null) {
            cosine = switch (schedule) {
                case "cosine" -> true;
                case "constant" -> false;
                default -> throw new IllegalArgumentException("--lr-schedule must be constant or cosine, got '"
                        + schedule + "'");
            };
        }
        boolean cosineDecay = cosine;
        Recipe resolved = r.with(b -> b.epochs(or(epochs, r.epochs())).batchSize(or(batchSize, r.batchSize()))
                .learningRate(or(learningRate, r.learningRate())).cosineDecay(cosineDecay).l2(or(l2, r.l2()))
                .hidden(or(hidden, r.hidden())).dropout(or(dropout, r.dropout()))
                .forgetGateBias(or(forgetGateBias, r.forgetGateBias())).gradientClip(or(clip, r.gradientClip()))
                .channels(channels == null ? r.channels() : channels.stream().map(Channel::fromId).toList())
                .frame(frame == null ? r.frame() : AxesFrame.fromId(frame))
                .augmentation(augment == null ? r.augmentation() : Augmentation.parse(augment))
                .validationFraction(or(validationFraction, r.validationFraction()))
                .patience(or(patience, r.patience())));
        return resolved.equals(r) ? r : resolved.withName("custom (from " + r.name() + ")");
    }

    /**
     * The named recipes' settings, for the end of {@code --help}: read from {@link Recipe}, so the help cannot
     * drift from what trains. Escaped for picocli's format strings.
     */
    public static String recipesHelp() {
        StringBuilder help = new StringBuilder("%nRecipes (--recipe; the options above change one setting):%n");
        for (Recipe r : List.of(Recipe.generalizing(), Recipe.original())) {
            help.append("  ").append(r.name()).append(":%n");
            Help.TextTable table = Help.TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF),
                    new Help.Column(23, 4, Help.Column.Overflow.SPAN),
                    new Help.Column(57, 2, Help.Column.Overflow.WRAP));
            r.describe().forEach((setting, value) -> {
                if (!setting.equals("recipe")) {
                    table.addRowValues(setting, value);
                }
            });
            help.append(table.toString().replace("%", "%%").replace(System.lineSeparator(), "%n"));
        }
        return help.toString();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
