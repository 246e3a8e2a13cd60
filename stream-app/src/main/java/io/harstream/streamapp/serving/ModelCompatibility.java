package io.harstream.streamapp.serving;

import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.ModelBundle;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a model can serve in a running topology, which was built for one bundle (its <em>baseline</em>): the
 * windower cuts the baseline's windows, turns them into the baseline's axes frame and keeps the stores that frame
 * and smoothing need. A model that reads other windows would get windows it was not trained on, so it is refused
 * rather than taken with every device's series restarted: refusing keeps every window of the stream classified by a
 * model that reads it as it was trained, and taking such a model needs the instances restarted with it (then it is
 * the baseline).
 *
 * <p>Must match the baseline: the window spec (length, hop, maximum gap), the sample rate, the channels and their
 * order, the axes frame. A model that smooths needs the baseline to smooth too (the per-device smoother states'
 * store exists only then) and the baseline's class list (those states are beliefs over its classes). Anything
 * else may differ: the network, the normalization, the smoothing's prior and transitions, and, for a model that
 * does not smooth, the class set (its meters get its own label values; a window whose true activity is not one of
 * its classes counts as {@code actual="unknown"} for it).
 */
public final class ModelCompatibility {

    private ModelCompatibility() {
    }

    /** Why {@code model} cannot serve in a topology built for {@code baseline}, or empty when it can. */
    public static Optional<String> problem(ModelBundle baseline, ModelBundle model) {
        BundleManifest b = baseline.manifest();
        BundleManifest m = model.manifest();
        String running = " the running topology's (model " + b.modelVersion() + "): ";
        if (!Objects.equals(b.window(), m.window())) {
            return Optional.of("window " + m.window() + " differs from" + running + b.window());
        }
        if (Double.compare(b.sampleRateHz(), m.sampleRateHz()) != 0) {
            return Optional.of("sample rate " + m.sampleRateHz() + " Hz differs from" + running
                    + b.sampleRateHz() + " Hz");
        }
        if (!Objects.equals(b.channels(), m.channels())) {
            return Optional.of("channels " + m.channels() + " differ from" + running + b.channels());
        }
        if (baseline.axesFrame() != model.axesFrame()) {
            return Optional.of("axes frame " + model.axesFrame().id() + " differs from" + running
                    + baseline.axesFrame().id());
        }
        if (m.smoothed() && !b.smoothed()) {
            return Optional.of("it smooths, and the running topology (model " + b.modelVersion()
                    + ") keeps no smoother states: restart the instances with it to take it");
        }
        if (m.smoothed() && !b.classes().equals(m.classes())) {
            return Optional.of("it smooths over classes " + m.classes() + ", and the devices' smoother states are"
                    + " over" + running + b.classes());
        }
        return Optional.empty();
    }
}
