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
        return BundleManifest.builder().modelVersion("test-" + config.seed()).createdAt("2026-11-29T00:00:00Z")
                .classes(classes).window(window).sampleRateHz(20.0).channels(List.of("x", "y", "z"))
                .normalization(BundleManifest.NormalizationStats.of(normalization)).network(config)
                .split(new BundleManifest.Split("user", false, config.seed(), 0.2, List.of("1"), List.of("2")))
                .dataset(new BundleManifest.DatasetInfo("test", "0".repeat(64), 0, 0, 0))
                .metrics(new BundleManifest.Metrics(0, 0, 0)).recipe(Map.of("recipe", "test")).build();
    }

    /** The same bundle reading its windows in another axes frame (the network is shared, not copied). */
    public static ModelBundle inFrame(ModelBundle bundle, AxesFrame frame) {
        return new ModelBundle(bundle.manifest().withFrame(frame.id()), bundle.network());
    }
}
