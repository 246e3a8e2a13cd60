package io.harstream.core.lstm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A forward pass of the network described by {@link LstmNetworkWeights}, outside DL4J: class
 * probabilities for a batch of windows.
 *
 * <p>Two implementations: {@link #vectorApi} (the JDK incubator Vector API; needs
 * {@code --add-modules jdk.incubator.vector} on the JVM command line, see {@link VectorSupport}) and
 * {@link #plainJava} (several times slower; see BENCHMARKS.md). Both compute the same activations
 * ({@link ScalarLstmCell}); {@link #create} picks the first when the module is present, else the second,
 * and logs once that it fell back.
 *
 * <p>Order of work per tile of windows: the dense layer and the first LSTM layer's input projection
 * for all time steps (a small matrix product, no dependency between steps), then that layer's
 * recurrence step by step; then the next layer's input projection from the whole output sequence,
 * its recurrence, and so on; the last step's output goes through the softmax layer.
 *
 * <p><b>Thread-safe</b>: the weights are immutable and every call allocates its own scratch buffers,
 * so one instance can serve any number of threads at once.
 */
public abstract class LstmForward {

    /** What this path is called in logs and refusals ({@link UnsupportedNetworkException}). */
    public static final String NAME = "fast LSTM inference";

    /** Loaded by name through {@link VectorSupport}: it refers to the Vector API. */
    private static final String VECTOR_IMPL = "VectorLstmForward";

    /** Windows per unit of work when a batch is split over threads (a multiple of every kernel tile). */
    static final int SPLIT_GRAIN = 8;

    protected final LstmNetworkWeights weights;

    LstmForward(LstmNetworkWeights weights) {
        this.weights = weights;
    }

    /** The Vector API implementation when the module is present at run time, else plain Java (logged once). */
    public static LstmForward create(LstmNetworkWeights weights) {
        return VectorSupport.vectorOrPlainJava(NAME, LstmForward.class, VECTOR_IMPL,
                () -> plainJava(weights), weights);
    }

    /** Plain Java loops (C2 auto-vectorizes the row updates); works on every JVM. */
    public static LstmForward plainJava(LstmNetworkWeights weights) {
        return new ScalarLstmForward(weights);
    }

    /** The Vector API implementation, or empty when the JVM was started without {@code jdk.incubator.vector}. */
    public static Optional<LstmForward> vectorApi(LstmNetworkWeights weights) {
        return VectorSupport.newInstance(LstmForward.class, VECTOR_IMPL, weights);
    }

    public LstmNetworkWeights weights() {
        return weights;
    }

    /** Which implementation, for logs and the benchmark. */
    public abstract String description();

    /**
     * Class probabilities, {@code [window][class]}, on one thread.
     *
     * @param features {@code batch} windows, each {@code channels x steps} floats channel-major (the
     *                 layout of {@link io.harstream.core.features.Preprocessor#fill}): window {@code b},
     *                 channel {@code c}, step {@code t} at {@code (b * channels + c) * steps + t}
     */
    public final float[][] probabilities(float[] features, int batch, int steps) {
        return probabilities(features, batch, steps, 1);
    }

    /**
     * The same, the batch split into contiguous parts over up to {@code threads} threads (the calling
     * thread and pooled daemon threads). A batch of at most {@value #SPLIT_GRAIN} windows is not split:
     * with two threads or more, the Vector API implementation then splits the network's layers over two
     * threads instead ({@link #lastHiddenPipelined}). Results do not depend on {@code threads}.
     */
    public final float[][] probabilities(float[] features, int batch, int steps, int threads) {
        if (batch < 0 || steps < 1 || threads < 1) {
            throw new IllegalArgumentException("batch " + batch + ", steps " + steps + ", threads " + threads);
        }
        long need = (long) batch * weights.inputChannels() * steps;
        if (features.length < need) {
            throw new IllegalArgumentException(batch + " windows of " + weights.inputChannels() + " channels x " + steps
                    + " steps need " + need + " floats, got " + features.length);
        }
        int units = weights.lstm().get(weights.lstm().size() - 1).units();
        float[][] hidden = new float[batch][units];
        int parts = Math.min(threads, (batch + SPLIT_GRAIN - 1) / SPLIT_GRAIN);
        if (parts > 1) {
            runParallel(features, batch, steps, parts, hidden);
        } else if (threadsFor(batch, threads) > 1) {
            lastHiddenPipelined(features, 0, batch, steps, hidden, Pool.EXECUTOR);
        } else {
            lastHidden(features, 0, batch, steps, hidden);
        }
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = softmax(hidden[b]);
        }
        return out;
    }

    /** How many threads {@link #probabilities(float[], int, int, int)} computes {@code batch} windows on. */
    public final int threadsFor(int batch, int threads) {
        int parts = Math.min(threads, (batch + SPLIT_GRAIN - 1) / SPLIT_GRAIN);
        if (parts <= 1 && threads >= 2 && batch > 0) {
            return pipelineThreads();
        }
        return Math.max(1, parts);
    }

    /** Threads {@link #lastHiddenPipelined} runs on: 1 unless an implementation splits the layers. */
    int pipelineThreads() {
        return 1;
    }

    /** Writes the last LSTM layer's output at the last time step of windows {@code [from, to)} into {@code h[b]}. */
    abstract void lastHidden(float[] features, int from, int to, int steps, float[][] h);

    /**
     * {@link #lastHidden} on {@link #pipelineThreads} threads, for a batch too small to split by windows: an
     * implementation may run some layers on {@code executor}, with exactly the same results. By default it
     * runs on this thread.
     */
    void lastHiddenPipelined(float[] features, int from, int to, int steps, float[][] h, ExecutorService executor) {
        lastHidden(features, from, to, steps, h);
    }

    private void runParallel(float[] features, int batch, int steps, int parts, float[][] hidden) {
        int grains = (batch + SPLIT_GRAIN - 1) / SPLIT_GRAIN;
        int[] bounds = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            bounds[p] = Math.min(batch, (int) ((long) grains * p / parts) * SPLIT_GRAIN);
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = bounds[p];
            int to = bounds[p + 1];
            futures.add(Pool.EXECUTOR.submit(() -> lastHidden(features, from, to, steps, hidden)));
        }
        Throwable failure = null;
        try {
            lastHidden(features, bounds[0], bounds[1], steps, hidden);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted during inference", e);
            }
        }
        if (failure != null) {
            throw unchecked(failure);
        }
    }

    /** A worker's failure to rethrow on the calling thread: unchecked ones as they are, others wrapped. */
    static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error err) {
            throw err;
        }
        return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
    }

    /** The output layer: softmax(h W + b), computed in double, as float. */
    private float[] softmax(float[] h) {
        float[][] w = weights.outW();
        float[] bias = weights.outB();
        int k = bias.length;
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = bias[j];
        }
        for (int u = 0; u < h.length; u++) {
            double hu = h[u];
            float[] row = w[u];
            for (int j = 0; j < k; j++) {
                z[j] += hu * row[j];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            z[j] = Math.exp(z[j] - max);
            sum += z[j];
        }
        float[] p = new float[k];
        for (int j = 0; j < k; j++) {
            p[j] = (float) (z[j] / sum);
        }
        return p;
    }

    /** Daemon threads shared by every instance; idle ones end after a minute. */
    private static final class Pool {
        private static final AtomicInteger COUNT = new AtomicInteger();
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "harstream-inference-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
