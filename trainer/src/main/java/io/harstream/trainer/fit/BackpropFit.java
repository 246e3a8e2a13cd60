package io.harstream.trainer.fit;

import io.harstream.core.lstm.LstmBackprop;
import io.harstream.core.lstm.LstmGradients;
import io.harstream.core.lstm.LstmNetworkWeights;
import io.harstream.core.lstm.UnsupportedNetworkException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Future;

/**
 * An optimizer step that computes the mini-batch gradient with harstream's own backward pass ({@link
 * LstmBackprop}) instead of DL4J's, split over worker threads, and then hands it to the network's own DL4J
 * updater exactly as {@code fit} does ({@link OptimizerStep}): the same loss, gradient, division by the batch,
 * clipping, L2 and Adam, so what is learned does not change; only the time a step takes does.
 *
 * <p>Why: DL4J runs an LSTM step by step as many thousands of small native ops per mini-batch, so a step costs
 * their overhead whatever the arithmetic; the same work as plain loops is arithmetic-bound (see
 * BENCHMARKS.md#training-speed). The network stays a DL4J network: it is built, saved and
 * evaluated as before.
 *
 * <p>Each window's dropout masks are drawn from a generator seeded by the configuration's seed, the iteration and
 * the window's row, so a step does not depend on the number of workers (up to float summation order). The masks
 * are not the ones DL4J would draw: like {@link DataParallelFit}, a valid stochastic step, not bit for bit
 * {@code fit}'s. Supports exactly the shape {@link LstmNetworkWeights} reads, with DL4J {@code Dropout} of a
 * fixed probability on LSTM and softmax inputs, the MCXENT loss and standard backprop; {@link #unsupportedReason}
 * says why another network is refused.
 */
public final class BackpropFit implements TrainingStep {

    private final MultiLayerNetwork master;
    private final int workers;
    private final int steps;
    private final LstmBackprop[] passes;
    private final LstmGradients[] gradients;
    private final WorkerThreads threads;
    /** For each row of {@link LstmGradients} (in its {@code forEachRow} order), the flat indices of its entries. */
    private final List<int[]> layout;
    private final long seed;
    private Gradient dl4jGradient;
    private double score = Double.NaN;
    private boolean closed;

    /**
     * @param steps   time steps of the windows it will be given
     * @param workers threads each mini-batch is split over, at least 1
     * @throws UnsupportedNetworkException for a network {@link #unsupportedReason} refuses
     */
    public BackpropFit(MultiLayerNetwork master, int steps, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        unsupportedDifference(master).ifPresent(difference -> {
            throw new UnsupportedNetworkException(LstmBackprop.NAME, difference);
        });
        this.master = master;
        this.workers = workers;
        this.steps = steps;
        LstmNetworkWeights shape = LstmNetworkWeights.of(master);
        MultiLayerConfiguration conf = master.getLayerWiseConfigurations();
        int layers = shape.lstm().size();
        float[] keep = new float[layers];
        for (int l = 0; l < layers; l++) {
            keep[l] = keepProbability(lstmConf(conf, l + 1).getIDropout());
        }
        float outputKeep = keepProbability(conf.getConf(layers + 1).getLayer().getIDropout());
        passes = new LstmBackprop[workers];
        gradients = new LstmGradients[workers];
        for (int k = 0; k < workers; k++) {
            passes[k] = new LstmBackprop(shape, steps, keep, outputKeep);
            gradients[k] = new LstmGradients(shape);
        }
        threads = workers > 1 ? new WorkerThreads(workers, "harstream-backprop") : null;
        layout = layout(master, gradients[0]);
        seed = master.getDefaultConfiguration().getSeed();
    }

    /** Why {@link BackpropFit} cannot train {@code network}, or empty when it can. */
    public static Optional<String> unsupportedReason(MultiLayerNetwork network) {
        return unsupportedDifference(network).map(d -> new UnsupportedNetworkException(LstmBackprop.NAME, d))
                .map(Throwable::getMessage);
    }

    /** What in {@code network} differs from what {@link LstmBackprop} computes, or empty. */
    private static Optional<String> unsupportedDifference(MultiLayerNetwork network) {
        Optional<String> shape = LstmNetworkWeights.unsupportedReason(network);
        if (shape.isPresent()) {
            return shape;
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (conf.getBackpropType() != BackpropType.Standard) {
            return Optional.of("only standard backprop is supported, not " + conf.getBackpropType());
        }
        int n = network.getLayers().length;
        if (conf.getConf(0).getLayer().getIDropout() != null) {
            return Optional.of("dropout on the dense layer's input");
        }
        for (int i = 1; i < n; i++) {
            org.deeplearning4j.nn.conf.layers.Layer c = i < n - 1 ? lstmConf(conf, i) : conf.getConf(i).getLayer();
            IDropout d = c.getIDropout();
            if (d != null && !(d.getClass() == Dropout.class && ((Dropout) d).getPSchedule() == null)) {
                return Optional.of("only DL4J Dropout with a fixed probability is supported, layer " + i + " has " + d);
            }
            if (c instanceof BaseLayer b && b.getWeightNoise() != null) {
                return Optional.of("weight noise (layer " + i + ")");
            }
            if (i < n - 1 && conf.getConf(i).getLayer() instanceof LastTimeStep wrapper
                    && wrapper.getIDropout() != null) {
                return Optional.of("dropout on the LastTimeStep wrapper");
            }
        }
        OutputLayer out = (OutputLayer) conf.getConf(n - 1).getLayer();
        if (!(out.getLossFn() instanceof LossMCXENT mcxent) || out.getLossFn().getClass() != LossMCXENT.class
                || mcxent.getWeights() != null) {
            return Optional.of("only the unweighted MCXENT loss is supported, not " + out.getLossFn());
        }
        return Optional.empty();
    }

    @Override
    public MultiLayerNetwork network() {
        return master;
    }

    @Override
    public String description() {
        return "harstream backprop, " + workers + (workers == 1 ? " thread" : " threads");
    }

    @Override
    public void fit(DataSet batch) {
        int iteration = master.getIterationCount();
        int epoch = master.getEpochCount();
        score = computeGradient(batch);
        OptimizerStep.take(master, dl4jGradient, iteration, epoch, (int) batch.getFeatures().size(0), score);
    }

    /**
     * Puts the raw (summed) gradient of {@code batch} into the network's flattened gradient view, as DL4J's
     * {@code computeGradientAndScore} does, and returns the score {@code fit} would report: the mean loss plus
     * the L1/L2 penalty of the parameters before the update.
     */
    double computeGradient(DataSet batch) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (batch.getFeaturesMaskArray() != null || batch.getLabelsMaskArray() != null) {
            throw new IllegalArgumentException(LstmBackprop.NAME + " does not support mask arrays");
        }
        INDArray features = batch.getFeatures();
        int rows = (int) features.size(0);
        if (features.rank() != 3 || features.size(2) != steps) {
            throw new IllegalArgumentException("expected features [batch, channels, " + steps + "], got "
                    + Arrays.toString(features.shape()));
        }
        if (dl4jGradient == null) {
            dl4jGradient = dl4jGradientViews(batch);
        }
        float[] x = features.dup('c').data().asFloat();
        int[] labels = labels(batch.getLabels());
        int perWindow = (int) (features.size(1) * steps);
        int iteration = master.getIterationCount();
        LstmBackprop.Step step = LstmBackprop.Step.of(LstmNetworkWeights.of(master));

        int shards = Math.min(workers, rows);
        double loss;
        if (shards == 1) {
            loss = shard(0, step, x, labels, perWindow, 0, rows, iteration);
        } else {
            List<Future<Double>> results = new ArrayList<>(shards);
            for (int k = 0; k < shards; k++) {
                int worker = k;
                int from = rows * k / shards;
                int to = rows * (k + 1) / shards;
                results.add(threads.submit(k, () -> shard(worker, step, x, labels, perWindow, from, to, iteration)));
            }
            loss = WorkerThreads.sum(results);
            for (int k = 1; k < shards; k++) {
                gradients[0].add(gradients[k]);
            }
        }
        writeGradient(gradients[0]);
        return loss / rows + master.calcRegularizationScore(true);
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public void close() {
        if (!closed && threads != null) {
            threads.close();
        }
        closed = true;
    }

    /** Worker {@code k}'s share: rows {@code [from, to)} into {@code gradients[k]}; returns their summed loss. */
    private double shard(int k, LstmBackprop.Step step, float[] x, int[] labels, int perWindow, int from, int to,
                         int iteration) {
        LstmGradients grad = gradients[k];
        grad.clear();
        double loss = 0;
        for (int r = from; r < to; r++) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration * 1_000_003L + r);
            loss += passes[k].window(step, x, r * perWindow, labels[r], random, grad);
        }
        return loss;
    }

    private void writeGradient(LstmGradients grad) {
        INDArray view = master.getFlattenedGradients();
        float[] flat = new float[(int) view.length()];
        int[] next = {0};
        grad.forEachRow((row, unused) -> {
            int[] index = layout.get(next[0]++);
            for (int j = 0; j < row.length; j++) {
                flat[index[j]] = row[j];
            }
        }, grad);
        view.assign(Nd4j.create(flat, view.shape(), 'c'));
    }

    /**
     * The network's {@link Gradient}, whose per-parameter arrays are views of its flattened gradient (the updater
     * clips per layer through them): obtained from one DL4J pass on the first row of the first batch, whose values
     * are then overwritten by ours every step.
     */
    private Gradient dl4jGradientViews(DataSet batch) {
        master.setInput(batch.getFeatures().get(NDArrayIndex.interval(0, 1)));
        master.setLabels(batch.getLabels().get(NDArrayIndex.interval(0, 1)));
        master.computeGradientAndScore();
        Gradient g = master.gradient();
        master.clearLayersStates();
        INDArray flat = master.getFlattenedGradients();
        long start = flat.data().address();
        long end = start + flat.length() * flat.data().getElementSize();
        for (INDArray v : g.gradientForVariable().values()) {
            long address = v.data().address();
            if (address < start || address >= end) {
                throw new IllegalStateException("DL4J's gradient for a parameter is not a view of the flattened "
                        + "gradient; " + LstmBackprop.NAME + " cannot hand its gradient to the updater");
            }
        }
        return g;
    }

    /** Index of each one-hot row's class. */
    private static int[] labels(INDArray oneHot) {
        float[][] y = oneHot.toFloatMatrix();
        int[] labels = new int[y.length];
        for (int r = 0; r < y.length; r++) {
            int best = 0;
            for (int j = 1; j < y[r].length; j++) {
                if (y[r][j] > y[r][best]) {
                    best = j;
                }
            }
            if (y[r][best] != 1f) {
                throw new IllegalArgumentException("labels must be one-hot; row " + r + " is not");
            }
            labels[r] = best;
        }
        return labels;
    }

    /**
     * Where each entry of {@code shape}'s rows lives in the network's flattened parameter (and gradient) array:
     * found from each parameter view's offset and strides, so DL4J's layout ('f' order, key order) is read, not
     * assumed.
     */
    private static List<int[]> layout(MultiLayerNetwork network, LstmGradients shape) {
        Layer[] layers = network.getLayers();
        int n = layers.length;
        // The same order as LstmGradients.forEachRow: dense W rows, dense b, per LSTM W rows, RW rows, b, out W, b.
        List<Param> params = new ArrayList<>();
        params.add(new Param(layers[0], "W"));
        params.add(new Param(layers[0], "b"));
        for (int i = 1; i < n - 1; i++) {
            params.add(new Param(layers[i], "W"));
            params.add(new Param(layers[i], "RW"));
            params.add(new Param(layers[i], "b"));
        }
        params.add(new Param(layers[n - 1], "W"));
        params.add(new Param(layers[n - 1], "b"));
        long base = network.params().offset();
        List<int[]> index = new ArrayList<>();
        for (Param p : params) {
            INDArray view = p.layer().paramTable().get(p.key());
            if (view == null) {
                throw new UnsupportedNetworkException(LstmBackprop.NAME,
                        "layer " + p.layer().getIndex() + " has no parameter " + p.key());
            }
            long offset = view.offset() - base;
            if (p.key().equals("b")) {
                long stride = view.rank() == 1 || view.size(0) != 1 ? view.stride(0) : view.stride(1);
                int[] idx = new int[(int) view.length()];
                for (int j = 0; j < idx.length; j++) {
                    idx[j] = (int) (offset + j * stride);
                }
                index.add(idx);
            } else {
                for (int r = 0; r < view.size(0); r++) {
                    int[] idx = new int[(int) view.size(1)];
                    for (int c = 0; c < idx.length; c++) {
                        idx[c] = (int) (offset + r * view.stride(0) + c * view.stride(1));
                    }
                    index.add(idx);
                }
            }
        }
        int[] rows = {0};
        shape.forEachRow((row, unused) -> {
            if (rows[0] >= index.size() || index.get(rows[0]).length != row.length) {
                throw new IllegalStateException("parameter layout does not match the gradient rows at row " + rows[0]);
            }
            rows[0]++;
        }, shape);
        if (rows[0] != index.size()) {
            throw new IllegalStateException("parameter layout has " + index.size() + " rows, gradients " + rows[0]);
        }
        return index;
    }

    /** One parameter of one layer: {@code key} is DL4J's name, "W", "RW" or "b". */
    private record Param(Layer layer, String key) {
    }

    private static org.deeplearning4j.nn.conf.layers.Layer lstmConf(MultiLayerConfiguration conf, int i) {
        org.deeplearning4j.nn.conf.layers.Layer c = conf.getConf(i).getLayer();
        return c instanceof LastTimeStep wrapper ? wrapper.getUnderlying() : c;
    }

    private static float keepProbability(IDropout dropout) {
        return dropout == null ? 1f : (float) ((Dropout) dropout).getP();
    }
}
