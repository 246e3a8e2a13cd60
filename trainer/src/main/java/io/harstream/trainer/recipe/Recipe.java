package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.window.AxesFrame;
import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a model is trained: optimizer, regularization, inputs, augmentation and how the kept epoch is chosen.
 * The architecture family is fixed (per-step dense ReLU, two stacked LSTM layers, softmax over the last step)
 * so the fast inference path and the comparison with the seed stay meaningful; only its width varies.
 * Two are named: {@link #generalizing() default} and {@link #original() original}; {@code withX(...)} (or
 * {@link RecipeBuilder}) gives one with a setting changed.
 *
 * @param name               "default", "original" or "custom (from X)" (a named recipe with settings changed)
 * @param epochs             most epochs to train
 * @param batchSize          mini-batch size
 * @param learningRate       Adam's (initial) learning rate
 * @param cosineDecay        decay the learning rate along a cosine over {@code epochs}
 * @param l2                 L2 weight decay
 * @param hidden             units of the dense layer and of each LSTM layer
 * @param dropout            dropout before the second LSTM layer and the softmax (0 = off)
 * @param forgetGateBias     initial LSTM forget-gate bias
 * @param gradientClip       per-layer gradient L2 norm limit (0 = off)
 * @param channels           network input channels
 * @param frame              the axes each person's (device's) windows are turned into first
 * @param augmentation       random changes to training windows
 * @param validationFraction share of the training users (windows, for the random split) held back to choose
 *                           the epoch; 0 keeps the last epoch, as the seed did
 * @param patience           stop after this many epochs without a better validation accuracy (0 = never stop
 *                           early; the best validation epoch is still the one kept)
 */
@RecordBuilder
public record Recipe(String name, int epochs, int batchSize, double learningRate, boolean cosineDecay, double l2,
                     int hidden, double dropout, double forgetGateBias, double gradientClip, List<Channel> channels,
                     AxesFrame frame, Augmentation augmentation, double validationFraction, int patience)
        implements RecipeBuilder.With {

    /** The name of {@link #generalizing()}, what {@code --recipe} trains unless told otherwise. */
    public static final String DEFAULT_NAME = "default";
    /** The name of {@link #original()}. */
    public static final String ORIGINAL_NAME = "original";
    /** The earlier name of {@link #original()}, still accepted by {@link #named}. */
    public static final String DEPRECATED_ORIGINAL_NAME = "seed";

    public Recipe {
        if (epochs < 1 || batchSize < 1 || hidden < 1) {
            throw new IllegalArgumentException("epochs, batch size and hidden units must be positive");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("at least one input channel is needed");
        }
        channels = List.copyOf(channels);
        Objects.requireNonNull(frame, "frame");
        // Fails early, with the same message the network would give, on a bad dropout, rate or L2.
        new NetworkConfig(channels.size(), 2, hidden, hidden, 2, learningRate, l2, 0, dropout, forgetGateBias,
                gradientClip, 0);
    }

    /**
     * The seed's hyperparameters exactly (the seed: the text the project was born from): batch 1024, Adam 0.0025
     * constant, L2 0.0015, no dropout or clipping, raw x, y, z, no augmentation, 50 epochs and the last one kept.
     */
    public static Recipe original() {
        return RecipeBuilder.builder().name(ORIGINAL_NAME).epochs(50).batchSize(1024).learningRate(0.0025)
                .cosineDecay(false).l2(0.0015).hidden(64).dropout(0)
                .forgetGateBias(NetworkConfig.DEFAULT_FORGET_GATE_BIAS).gradientClip(0)
                .channels(List.of(Channel.X, Channel.Y, Channel.Z)).frame(AxesFrame.PHONE)
                .augmentation(Augmentation.NONE).validationFraction(0).patience(0).build();
    }

    /**
     * The default: the seed's network, trained so it generalizes to new people. Each person's windows are read in
     * their walking frame (gravity while they move is +y): how the phone lies in the pocket then no longer decides
     * what standing and sitting look like (BENCHMARKS.md#walking-frame). The magnitude channel and rotated/scaled
     * training windows make it care less about how the phone sits: small rotations about any axis, any rotation
     * about the phone's long axis and the upside-down flip, the ways a phone can lie in a pocket, which did better
     * than the small rotations alone (BENCHMARKS.md#cv-hop20); smaller batches, a decaying rate, clipping and
     * dropout steady the optimizer. With all that augmentation the network underfit at rate 0.001 and dropout 0.5,
     * hence 0.002 and 0.3, chosen over two training draws on the same folds (BENCHMARKS.md#lr-dropout). It trains
     * a fixed 12 epochs on all training users and keeps the last: choosing the epoch on the few validation users
     * picked worse epochs than the schedule's end (their accuracy jumps from epoch to epoch) while taking a fifth
     * of the people away from training (BENCHMARKS.md#cv-hop40).
     */
    public static Recipe generalizing() {
        return RecipeBuilder.builder().name(DEFAULT_NAME).epochs(12).batchSize(128).learningRate(0.002)
                .cosineDecay(true).l2(0.0015).hidden(64).dropout(0.3)
                .forgetGateBias(NetworkConfig.DEFAULT_FORGET_GATE_BIAS).gradientClip(1.0)
                .channels(List.of(Channel.X, Channel.Y, Channel.Z, Channel.MAGNITUDE))
                .frame(AxesFrame.WALKING).augmentation(new Augmentation(30, 180, 0, true, 0.1, 0))
                .validationFraction(0).patience(0).build();
    }

    /**
     * The recipe of that name: {@value #DEFAULT_NAME} or {@value #ORIGINAL_NAME} ({@value #DEPRECATED_ORIGINAL_NAME}
     * too, the original's earlier name, so that scripts written for it keep working).
     */
    public static Recipe named(String name) {
        return switch (name) {
            case ORIGINAL_NAME, DEPRECATED_ORIGINAL_NAME -> original();
            case DEFAULT_NAME -> generalizing();
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (known: " + DEFAULT_NAME
                    + ", " + ORIGINAL_NAME + ")");
        };
    }

    /** The network this recipe trains, for {@code classes} classes. */
    public NetworkConfig network(int classes, long seed) {
        return new NetworkConfig(channels.size(), classes, hidden, hidden, 2, learningRate, l2, seed, dropout,
                forgetGateBias, gradientClip, cosineDecay ? epochs : 0);
    }

    public List<String> channelIds() {
        return channels.stream().map(Channel::id).toList();
    }

    /** Every setting as display text, in a fixed order; the bundle and the report record it. */
    public Map<String, String> describe() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("recipe", name);
        r.put("epochs", Integer.toString(epochs));
        r.put("batch size", Integer.toString(batchSize));
        r.put("optimizer", "Adam, learning rate " + learningRate + (cosineDecay ? ", cosine decay per epoch" : ", constant"));
        r.put("L2", Double.toString(l2));
        r.put("network", "dense " + hidden + " ReLU per step -> LSTM " + hidden + " -> LSTM " + hidden
                + " -> softmax (last step)");
        r.put("dropout", dropout > 0 ? dropout + " (before LSTM 2 and softmax)" : "none");
        r.put("forget-gate bias", Double.toString(forgetGateBias));
        r.put("gradient clipping", gradientClip > 0 ? "per-layer L2 norm " + gradientClip : "none");
        r.put("channels", String.join(",", channelIds()));
        // Starts with the frame's id: the report reads which frame it was from this entry.
        r.put("axes", frame.id() + (frame == AxesFrame.WALKING
                ? " (each device turned so its gravity while moving is +y)" : " (as recorded)"));
        r.put("augmentation", augmentation.spec());
        r.put("epoch choice", validationFraction > 0
                ? "best validation accuracy, validation = " + validationFraction + " of the training users"
                        + (patience > 0 ? ", stop after " + patience + " epochs without improvement" : "")
                : "last epoch (the epoch count is fixed; no validation set)");
        return r;
    }
}
