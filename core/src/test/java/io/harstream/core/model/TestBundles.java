package io.harstream.core.model;

import io.harstream.core.features.Channel;
import io.harstream.core.features.Normalization;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.WindowSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Map;

/** Small untrained bundles for tests: the real network shape, tiny sizes, built in milliseconds. */
public final class TestBundles {

    private TestBundles() {
    }

    public static ModelBundle tiny(List<String> classes, WindowSpec window, int hidden, long seed) {
        List<Channel> channels = List.of(Channel.X, Channel.Y, Channel.Z);
        NetworkConfig config = new NetworkConfig(channels.size(), classes.size(), hidden, hidden, 2, 0.0025, 0.0015,
                seed);
        MultiLayerNetwork net = HarNetwork.create(config, window.length());
        BundleManifest manifest = manifest(classes, window, config,
                new Normalization(new double[] {0, 9.8, 0}, new double[] {4, 4, 4}));
        return new ModelBundle(manifest, net);
    }

    public static BundleManifest manifest(List<String> classes, WindowSpec window, NetworkConfig config,
                                          Normalization normalization) {
        return new BundleManifest(BundleManifest.FORMAT_VERSION, "test-" + config.seed(), "2026-11-29T00:00:00Z",
                classes, window, 20.0, List.of("x", "y", "z"), null,
                BundleManifest.NormalizationStats.of(normalization),
                config, new BundleManifest.Split("user", false, config.seed(), 0.2, List.of("1"), List.of("2")),
                new BundleManifest.DatasetInfo("test", "0".repeat(64), 0, 0, 0),
                new BundleManifest.Metrics(0, 0, 0), Map.of("recipe", "test"));
    }

    /** The same bundle reading its windows in another axes frame (the network is shared, not copied). */
    public static ModelBundle inFrame(ModelBundle bundle, AxesFrame frame) {
        BundleManifest m = bundle.manifest();
        return new ModelBundle(new BundleManifest(m.formatVersion(), m.modelVersion(), m.createdAt(), m.classes(),
                m.window(), m.sampleRateHz(), m.channels(), frame.id(), m.normalization(), m.network(), m.split(),
                m.dataset(), m.metrics(), m.recipe(), m.crossValidation()), bundle.network());
    }
}
