package io.harstream.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.harstream.core.features.Channel;
import io.harstream.core.features.Normalization;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.WindowSpec;
import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.List;
import java.util.Map;

/**
 * {@code model.json}: everything a consumer needs to feed the network exactly as the trainer did,
 * and where the model came from. Written by the trainer, validated by {@link ModelBundle#load}.
 * Built with {@link BundleManifestBuilder} ({@code BundleManifestBuilder.builder()}, or {@code withX(...)} on a
 * manifest for a copy with one component changed).
 *
 * @param formatVersion bundle format; a reader refuses versions it does not know
 * @param modelVersion  unique name of this model, e.g. {@code 20261129T073012Z-3f2a9c1e}
 * @param createdAt     ISO-8601 instant
 * @param classes       class names in network output order
 * @param window        window length, hop and maximum gap, in samples and ms
 * @param sampleRateHz  the sample rate windows assume
 * @param channels      input channel ids in input order ({@link Channel#id()})
 * @param frame         the axes windows are turned into before the channels ({@link AxesFrame#id()}); absent
 *                      in bundles written before it existed, which read the phone's own axes
 * @param normalization per-channel mean and standard deviation, same order as channels
 * @param network       layer sizes and optimizer settings
 * @param split         how train and test were separated
 * @param dataset       what it was trained on
 * @param metrics       final test figures
 * @param recipe        every training setting, for the record
 * @param crossValidation leave-subjects-out cross-validation figures of the recipe, or null when not run
 * @param smoothing     the class prior and transitions of the {@link ActivitySmoother} consumers run over each
 *                      device's windows; absent (null) in bundles written before it existed or trained with
 *                      {@code --smoothing none}: then predictions are not smoothed
 * @param calibration   the temperature {@link ActivityClassifier} scales every probability by, and where it was
 *                      fitted; absent (null) in bundles written before it existed or trained with
 *                      {@code --calibration-users 0}: then the temperature is 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record BundleManifest(int formatVersion, String modelVersion, String createdAt, List<String> classes,
                             WindowSpec window, double sampleRateHz, List<String> channels, String frame,
                             NormalizationStats normalization, NetworkConfig network, Split split, DatasetInfo dataset,
                             Metrics metrics, Map<String, String> recipe, CrossValidationFigures crossValidation,
                             SmoothingModel smoothing, Calibration calibration)
        implements BundleManifestBuilder.With {

    public static final int FORMAT_VERSION = 1;

    /** A builder for a manifest of the current {@link #FORMAT_VERSION}. */
    public static BundleManifestBuilder builder() {
        return BundleManifestBuilder.builder().formatVersion(FORMAT_VERSION);
    }

    /** {@link Normalization} in JSON-friendly form. */
    public record NormalizationStats(double[] mean, double[] std) {
        public static NormalizationStats of(Normalization n) {
            return new NormalizationStats(n.mean(), n.std());
        }
    }

    /** @param method "user" or "random"; @param leaky true when windows of one person are on both sides */
    public record Split(String method, boolean leaky, long seed, double testFraction, List<String> trainUsers,
                        List<String> testUsers) {
    }

    /** @param fingerprint SHA-256 over the samples used (user, activity, timestamp, x, y, z) */
    public record DatasetInfo(String source, String fingerprint, long samples, int trainWindows, int testWindows) {
    }

    public record Metrics(double testAccuracy, double testLoss, double macroF1) {
    }

    /**
     * Means and standard deviations over the folds; the baseline's means are null when it was not run.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CrossValidationFigures(int folds, double meanAccuracy, double sdAccuracy, double meanMacroF1,
                                         double sdMacroF1, Double baselineMeanAccuracy, Double baselineMeanMacroF1) {
    }

    public List<Channel> channelList() {
        return channels.stream().map(Channel::fromId).toList();
    }

    /** The recorded frame; the phone's axes when the bundle names none. */
    public AxesFrame axesFrame() {
        return frame == null ? AxesFrame.PHONE : AxesFrame.fromId(frame);
    }

    /** Whether consumers smooth this model's predictions: the bundle has a {@link #smoothing} section. */
    public boolean smoothed() {
        return smoothing != null;
    }

    /** The temperature probabilities are scaled by: the calibration section's, 1 when the bundle has none. */
    public double temperature() {
        return calibration == null ? 1.0 : calibration.temperature();
    }

    public Normalization normalizationValue() {
        return new Normalization(normalization.mean(), normalization.std());
    }
}
