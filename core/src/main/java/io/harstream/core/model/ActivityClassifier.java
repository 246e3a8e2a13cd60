package io.harstream.core.model;

import io.harstream.core.features.Preprocessor;
import io.harstream.core.window.Window;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The one inference path: raw windows in, class probabilities out, through the bundle's
 * preprocessing and network. The trainer's evaluation and the stream-app both classify through it.
 *
 * <p>Not thread-safe (DL4J networks keep per-call workspaces): use one instance per thread.
 */
public final class ActivityClassifier {

    private final MultiLayerNetwork network;
    private final Preprocessor preprocessor;
    private final int maxBatch;

    public ActivityClassifier(MultiLayerNetwork network, Preprocessor preprocessor, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + maxBatch);
        }
        this.network = network;
        this.preprocessor = preprocessor;
        this.maxBatch = maxBatch;
    }

    public ActivityClassifier(ModelBundle bundle) {
        this(bundle.network(), bundle.preprocessor(), 1024);
    }

    /** Probabilities per window, {@code [window][class]}, in the order given. */
    public float[][] probabilities(List<Window> windows) {
        float[][] out = new float[windows.size()][];
        for (int from = 0; from < windows.size(); from += maxBatch) {
            List<Window> batch = windows.subList(from, Math.min(windows.size(), from + maxBatch));
            INDArray probs = network.output(preprocessor.features(batch), false);
            for (int i = 0; i < batch.size(); i++) {
                out[from + i] = probs.getRow(i).toFloatVector();
            }
        }
        return out;
    }

    /** Index of the largest probability (the first one on ties). */
    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
