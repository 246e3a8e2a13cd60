package io.harstream.core.model;

import io.harstream.core.features.Preprocessor;
import io.harstream.core.lstm.LstmForward;
import io.harstream.core.lstm.LstmNetworkWeights;
import io.harstream.core.lstm.UnsupportedNetworkException;
import io.harstream.core.window.Window;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one inference path: raw windows in, class probabilities out, through the bundle's
 * preprocessing and network. The trainer's evaluation and the stream-app both classify through it.
 *
 * <p>When the network has the shape {@link HarNetwork} builds (see {@link LstmNetworkWeights}), the
 * forward pass runs in {@link LstmForward} (the Vector API when the JVM has
 * {@code --add-modules jdk.incubator.vector}, else plain Java), faster than DL4J
 * (BENCHMARKS.md#inference-zen4) and equal to its probabilities up to float rounding (the parity
 * tests of core's {@code lstm} package pin the tolerances); a window's result does not depend on the
 * batch it is classified in. Any other network is classified by DL4J's
 * {@code MultiLayerNetwork.output}, and the reason is logged once. The fast path copies the
 * network's parameters and checks on every call that they have not changed since (a comparison of
 * the flat parameter buffer, cheap next to the forward pass): a network that is still being trained,
 * as in the trainer's per-epoch evaluation, is always classified with its current parameters.
 *
 * <p>Calibration: every probability it returns is scaled by the bundle's temperature
 * ({@link TemperatureScaling}: {@code softmax(log p / T)}), so the trainer's evaluation, the stream-app and the
 * smoother all see the calibrated probabilities; the most probable class is the network's own either way.
 *
 * <p><b>Not thread-safe</b> (DL4J networks keep per-call workspaces, and the parameter snapshot is
 * refreshed in place): use one instance per thread. To use several cores for one large batch, pass
 * {@code inferenceThreads > 1}: the fast path then splits each batch over that many threads.
 */
public final class ActivityClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityClassifier.class);
    /** Log each reason for falling back to DL4J once per JVM, not once per classifier. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final MultiLayerNetwork network;
    private final Preprocessor preprocessor;
    private final int maxBatch;
    private final int inferenceThreads;
    private final double temperature;
    /** Null when DL4J classifies (unsupported network or channel mismatch). */
    private LstmForward fast;
    /** The parameters {@link #fast} was built from. */
    private float[] snapshot;

    public ActivityClassifier(MultiLayerNetwork network, Preprocessor preprocessor, int maxBatch) {
        this(network, preprocessor, maxBatch, 1);
    }

    /**
     * @param maxBatch         windows per forward call (bounds the memory of one call)
     * @param inferenceThreads threads one batch is split over on the fast path (1: the calling thread only)
     */
    public ActivityClassifier(MultiLayerNetwork network, Preprocessor preprocessor, int maxBatch,
                              int inferenceThreads) {
        this(network, preprocessor, maxBatch, inferenceThreads, 1.0);
    }

    /**
     * @param maxBatch         windows per forward call (bounds the memory of one call)
     * @param inferenceThreads threads one batch is split over on the fast path (1: the calling thread only)
     * @param temperature      every probability is scaled by it ({@link TemperatureScaling}); 1 for none
     * @throws IllegalArgumentException when the temperature is not finite and positive
     */
    public ActivityClassifier(MultiLayerNetwork network, Preprocessor preprocessor, int maxBatch,
                              int inferenceThreads, double temperature) {
        String problem = TemperatureScaling.problem(temperature);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.temperature = temperature;
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + maxBatch);
        }
        if (inferenceThreads < 1) {
            throw new IllegalArgumentException("inference threads must be positive: " + inferenceThreads);
        }
        this.network = network;
        this.preprocessor = preprocessor;
        this.maxBatch = maxBatch;
        this.inferenceThreads = inferenceThreads;
        try {
            refresh();
        } catch (UnsupportedNetworkException e) {
            fast = null;
            logOnce("DL4J inference (slower): " + e.getMessage());
        }
    }

    /** Classifies with the bundle's own network, preprocessing and temperature. */
    public ActivityClassifier(ModelBundle bundle) {
        this(bundle, bundle.network(), 1024);
    }

    /**
     * Classifies with {@code network} (the bundle's, or a copy of it for another thread) and the bundle's
     * preprocessing and temperature.
     */
    public ActivityClassifier(ModelBundle bundle, MultiLayerNetwork network, int maxBatch) {
        this(network, bundle.preprocessor(), maxBatch, 1, bundle.temperature());
    }

    /** The temperature every probability is scaled by (1: none). */
    public double temperature() {
        return temperature;
    }

    /** Whether windows are classified by the fast path ({@link LstmForward}) rather than DL4J. */
    public boolean fastPath() {
        return fast != null;
    }

    /** What classifies: the fast path's implementation or DL4J. */
    public String engine() {
        return fast != null ? fast.description() : "DL4J MultiLayerNetwork.output";
    }

    /** Probabilities per window, {@code [window][class]}, in the order given. */
    public float[][] probabilities(List<Window> windows) {
        float[][] out = new float[windows.size()][];
        if (fast != null && !windows.isEmpty() && paramsView().mismatch(FloatBuffer.wrap(snapshot)) != -1) {
            try {
                refresh();
            } catch (UnsupportedNetworkException e) {
                fast = null;
                logOnce("DL4J inference (slower): " + e.getMessage());
            }
        }
        for (int from = 0; from < windows.size(); from += maxBatch) {
            List<Window> batch = windows.subList(from, Math.min(windows.size(), from + maxBatch));
            if (fast != null) {
                float[][] probs = fastProbabilities(batch);
                System.arraycopy(probs, 0, out, from, probs.length);
            } else {
                INDArray probs = network.output(preprocessor.features(batch), false);
                for (int i = 0; i < batch.size(); i++) {
                    out[from + i] = probs.getRow(i).toFloatVector();
                }
            }
        }
        if (temperature != 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] = TemperatureScaling.apply(out[i], temperature);
            }
        }
        return out;
    }

    private float[][] fastProbabilities(List<Window> batch) {
        int len = batch.get(0).length();
        int per = preprocessor.channels().size() * len;
        float[] data = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            Window w = batch.get(i);
            if (w.length() != len) {
                throw new IllegalArgumentException("window " + i + " has " + w.length() + " samples, expected " + len);
            }
            preprocessor.fill(w, data, i * per);
        }
        return fast.probabilities(data, batch.size(), len, inferenceThreads);
    }

    /** (Re)builds the fast path from the network's current parameters. */
    private void refresh() {
        LstmNetworkWeights weights = LstmNetworkWeights.of(network); // refuses all but FLOAT parameters first
        FloatBuffer params = paramsView();
        if (weights.inputChannels() != preprocessor.channels().size()) {
            fast = null;
            logOnce("DL4J inference: the network takes " + weights.inputChannels() + " input channels but the "
                    + "preprocessor makes " + preprocessor.channels().size());
            return;
        }
        float[] copy = new float[params.remaining()];
        params.duplicate().get(copy);
        boolean first = fast == null;
        fast = LstmForward.create(weights);
        snapshot = copy;
        if (first) {
            LOG.debug("fast LSTM inference ({}): {}", fast.description(), weights);
        }
    }

    /** The network's flat parameter buffer, without copying it when it is contiguous (it always is in practice). */
    private FloatBuffer paramsView() {
        INDArray p = network.params();
        if (p == null) {
            throw new UnsupportedNetworkException(LstmForward.NAME, "no parameters");
        }
        long n = p.length();
        if (p.elementWiseStride() != 1 || n > Integer.MAX_VALUE) {
            p = p.dup('c');
        }
        FloatBuffer all = p.data().asNioFloat();
        int offset = (int) p.offset();
        return all.position(offset).limit(offset + (int) n).slice();
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) {
            LOG.info(message);
        }
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
