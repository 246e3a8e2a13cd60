package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.window.AxesFrame;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code --recipe} and the options that change one of its settings. Every override is {@code null} unless
 * given, so {@code --recipe seed --dropout 0.3} is the seed's recipe with dropout and nothing else changed.
 */
public final class RecipeOptions {

    @Option(names = "--recipe", defaultValue = "default", paramLabel = "default|seed",
            description = {"Training recipe. default: the best recipe measured by leave-subjects-out "
                    + "cross-validation (batch 128, Adam 0.002 with cosine decay, clipping 1.0, dropout 0.3, "
                    + "channels x,y,z,magnitude read in each person's walking frame, rotations up to 30 degrees "
                    + "about any axis and up to 180 about the phone's long axis, upside-down flips, scaling +-10%%, "
                    + "12 epochs, the last kept). seed: the seed's hyperparameters exactly (batch 1024, "
                    + "Adam 0.0025, L2 0.0015, x,y,z, 50 epochs, last epoch kept). The options below change one "
                    + "setting of it. Default: ${DEFAULT-VALUE}."})
    String recipe;

    @Option(names = "--epochs", description = "Most training epochs. Recipe default: 12, seed 50.")
    Integer epochs;

    @Option(names = "--batch-size", description = "Mini-batch size. Recipe default: 128, seed 1024.")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam learning rate (initial, with decay). Recipe default: 0.002, seed 0.0025.")
    Double learningRate;

    @Option(names = "--lr-schedule", paramLabel = "constant|cosine",
            description = "Learning-rate schedule over the epochs. Recipe default: cosine, seed constant.")
    String schedule;

    @Option(names = "--l2", description = "L2 weight decay. Both recipes: 0.0015.")
    Double l2;

    @Option(names = "--hidden", description = "Units of the dense layer and of each LSTM layer. Both recipes: 64.")
    Integer hidden;

    @Option(names = "--dropout", description = "Dropout before the second LSTM layer and the softmax, 0 = off. "
            + "Recipe default: 0.3, seed 0.")
    Double dropout;

    @Option(names = "--forget-gate-bias", description = "Initial LSTM forget-gate bias. Both recipes: 1.0.")
    Double forgetGateBias;

    @Option(names = "--clip", description = "Per-layer gradient L2-norm clipping, 0 = off. Recipe default: 1.0, seed 0.")
    Double clip;

    @Option(names = "--channels", split = ",", paramLabel = "CHANNEL",
            description = "Input channels: x, y, z, magnitude (|a|), vertical and horizontal (the acceleration along and across the "
                    + "window's mean direction, i.e. gravity: the same however the phone is turned), jerk (|a_t - a_t-1|, "
                    + "the small fast motions on a scale of their own). Recipe default: x,y,z,magnitude, seed x,y,z.")
    List<String> channels;

    @Option(names = "--frame", paramLabel = "phone|walking",
            description = "Axes the windows are read in: phone (as recorded) or walking (each person's, or device's, "
                    + "axes turned so that gravity while they move points along +y: how the phone lies in the pocket "
                    + "then no longer decides what standing and sitting look like). "
                    + "Recipe default: walking, seed phone.")
    String frame;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = {"Training-window augmentation, comma-separated: rotate=DEG (any axis), rotate-long=DEG "
                    + "(about the phone's long y axis), rotate-screen=DEG (about z), flip (upside down, half the "
                    + "windows), scale=F (all axes by 1+-F), jitter=F (Gaussian noise, m/s^2), stretch=F (played 1+-F times as fast), "
                    + "or none. "
                    + "Recipe default: rotate=30,rotate-long=180,flip,scale=0.1, seed none."})
    String augment;

    @Option(names = "--validation-fraction",
            description = "Share of the training users held back to choose the epoch (windows with --split random); "
                    + "0 keeps the last epoch. Recipe default: 0, seed 0.")
    Double validationFraction;

    @Option(names = "--patience", description = "Stop after this many epochs without a better validation accuracy, "
            + "0 = train all epochs. Recipe default: 0, seed 0.")
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
        List<Channel> ch = channels == null ? r.channels() : channels.stream().map(Channel::fromId).toList();
        Recipe resolved = new Recipe(r.name(),
                or(epochs, r.epochs()), or(batchSize, r.batchSize()), or(learningRate, r.learningRate()), cosine,
                or(l2, r.l2()), or(hidden, r.hidden()), or(dropout, r.dropout()),
                or(forgetGateBias, r.forgetGateBias()), or(clip, r.gradientClip()), ch,
                frame == null ? r.frame() : AxesFrame.fromId(frame),
                augment == null ? r.augmentation() : Augmentation.parse(augment),
                or(validationFraction, r.validationFraction()), or(patience, r.patience()));
        return resolved.equals(r) ? r : resolved.renamed("custom (from " + r.name() + ")");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
