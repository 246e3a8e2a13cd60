package io.harstream.streamapp;

import io.harstream.core.data.Activities;
import io.harstream.core.data.Recording;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import io.harstream.streamapp.replay.SyntheticRecordings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.List;

/**
 * Models for the stream-app's tests: the real network shape at tiny sizes, with short windows (10
 * samples, a new one every 5) so that a test needs tens of events per window, not hundreds.
 */
public final class TestModels {

    public static final List<String> CLASSES = Activities.V1_CLASSES;
    public static final WindowSpec WINDOW = new WindowSpec(10, 5, 1_000);

    private static ModelBundle trained;

    private TestModels() {
    }

    /** Untrained: fine wherever only the plumbing matters. */
    public static ModelBundle untrained() {
        return TestBundles.tiny(CLASSES, WINDOW, 8, 42);
    }

    /**
     * Briefly trained on synthetic recordings, so that its predictions vary between windows and a
     * confusion matrix has more than one column. Built once per test JVM (about a second).
     */
    public static synchronized ModelBundle trained() {
        if (trained == null) {
            ModelBundle bundle = TestBundles.tiny(CLASSES, WINDOW, 12, 7);
            List<Recording> recordings = SyntheticRecordings.generate(CLASSES, 24, 200, 99);
            Segmenter segmenter = bundle.segmenter();
            List<Window> windows = new ArrayList<>();
            for (Recording r : recordings) {
                segmenter.cut(r).stream().filter(Window::labelled).forEach(windows::add);
            }
            INDArray features = bundle.preprocessor().features(windows);
            INDArray labels = Nd4j.zeros(windows.size(), CLASSES.size());
            for (int i = 0; i < windows.size(); i++) {
                labels.putScalar(i, windows.get(i).label(), 1.0);
            }
            DataSet data = new DataSet(features, labels);
            List<DataSet> batches = data.batchBy(64);
            for (int epoch = 0; epoch < 3; epoch++) {
                for (DataSet b : batches) {
                    bundle.network().fit(b);
                }
            }
            trained = bundle;
        }
        return trained;
    }

    /** The bundle as one record of the models topic ({@link ModelArchive#pack} of the bundle as saved). */
    public static byte[] archive(ModelBundle bundle) {
        try {
            Path dir = Files.createTempDirectory("harstream-archive");
            Path bundleDir = dir.resolve("bundle");
            bundle.save(bundleDir);
            byte[] bytes = ModelArchive.pack(bundleDir);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The roles document naming {@code active} and {@code candidate} (null: none). */
    public static byte[] roles(String active, String candidate) {
        return new ModelRoles(active, candidate, List.of(), "2026-12-07T00:00:00Z", "publish").toJson();
    }

    /** The bundle under another version, with the same network. */
    public static ModelBundle withVersion(ModelBundle bundle, String version) {
        return new ModelBundle(bundle.manifest().withModelVersion(version), bundle.network());
    }

    /** The bundle with a smoothing section: uniform prior, each class staying with probability {@code stay}. */
    public static ModelBundle withSmoothing(ModelBundle bundle, double stay) {
        int k = bundle.classes().size();
        double[] prior = new double[k];
        double[][] transitions = new double[k][k];
        for (int i = 0; i < k; i++) {
            prior[i] = 1.0 / k;
            for (int j = 0; j < k; j++) {
                transitions[i][j] = i == j ? stay : (1 - stay) / (k - 1);
            }
        }
        long hopMs = Math.round(bundle.manifest().window().hop() * 1000 / bundle.manifest().sampleRateHz());
        return new ModelBundle(bundle.manifest().withSmoothing(
                new SmoothingModel(hopMs, 30_000, prior, transitions)), bundle.network());
    }
}
