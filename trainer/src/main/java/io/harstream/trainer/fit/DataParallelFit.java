package io.harstream.trainer.fit;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Synchronous data parallelism that takes the same optimizer step as {@code master.fit(batch)}.
 *
 * <p>Each {@link #fit(DataSet)} splits the mini-batch rows into {@code workers} contiguous shards. Shard 0
 * is computed by the master network itself, shard {@code k > 0} by replica {@code k} (a network built from
 * the master's configuration, whose parameters are overwritten in place with the master's before each step).
 * Every network always runs on the same thread of a fixed pool (DL4J workspaces are thread-local).
 *
 * <p>Why the result equals one {@code fit} on the whole batch: DL4J's backward pass produces the <em>sum</em>
 * of the per-example gradients (the loss gradient is not divided by the batch size), so the shard gradients
 * add up to the full-batch raw gradient. That sum is placed in the master's gradient view and handed to the
 * master's own updater, exactly as {@code StochasticGradientDescent.optimize} does: the updater divides by
 * the <em>whole</em> mini-batch size, applies gradient normalization/clipping per layer, adds the L1/L2/weight
 * decay terms and runs Adam (whose state lives only in the master); then the optimizer's step function
 * subtracts the update from the parameters, the iteration counter is incremented and constraints applied.
 * Regularization and clipping therefore enter once, on the combined gradient.
 *
 * <p>The score of the step ({@link #score()}, also stored as {@code master.score()}) is the loss before the
 * update, like {@code fit}'s: DL4J's score of a shard is {@code sum(loss)/n_k + R} (R = the L1/L2 penalty of
 * the shared parameters), so the full-batch score {@code sum(loss)/N + R} is the shard scores weighted by
 * {@code n_k/N}.
 *
 * <p>Differences from {@code fit}: floating-point sums are taken in another order (parameters agree to
 * about 1e-7); with dropout or weight noise each network draws its own masks, so the step is a valid
 * stochastic step but not bit-for-bit the one {@code fit} would draw (each worker thread's ND4J generator
 * is seeded from the configuration's seed and the worker index); training listeners see {@code
 * onForwardPass/onBackwardPass} for shard 0 only, and {@code iterationDone} once per step; truncated BPTT
 * is not supported. With {@code workers == 1} (or a batch of one row) this simply calls {@code master.fit}.
 *
 * <p>Threads: each worker calls into ND4J concurrently, so run the JVM with one OpenMP thread per caller
 * ({@code OMP_NUM_THREADS=1}, as the {@code harstream} launcher does); otherwise workers x ND4J threads
 * compete for the cores. Not thread-safe: call {@code fit} from one thread at a time.
 */
public final class DataParallelFit implements TrainingStep {

    private static final Logger LOG = LoggerFactory.getLogger(DataParallelFit.class);

    private final MultiLayerNetwork master;
    private final int workers;
    /** {@code nets[0]} is the master, the others its replicas. */
    private final MultiLayerNetwork[] nets;
    /** One thread per network, so each network's workspaces stay on one thread; null with one worker. */
    private final WorkerThreads threads;
    private double score = Double.NaN;
    private boolean closed;

    /**
     * @param master  the network to train; its parameters, updater state and counters are the ones updated
     * @param workers the number of threads (and shards) per mini-batch, at least 1
     */
    public DataParallelFit(MultiLayerNetwork master, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (master.getLayerWiseConfigurations().getBackpropType()
                == BackpropType.TruncatedBPTT && workers > 1) {
            throw new IllegalArgumentException("truncated BPTT is not supported with more than one worker");
        }
        this.master = master;
        this.workers = workers;
        this.nets = new MultiLayerNetwork[workers];
        if (workers == 1) {
            this.threads = null;
            return;
        }
        nets[0] = master;
        for (int k = 1; k < workers; k++) {
            nets[k] = replicaOf(master);
        }
        int nd4jThreads = Nd4j.getEnvironment().maxThreads();
        if (nd4jThreads > 1) {
            LOG.warn("ND4J runs each op on up to {} threads, so {} workers may use {} threads on {} cores; "
                    + "start the JVM with OMP_NUM_THREADS=1 (as ./harstream does)", nd4jThreads, workers,
                    nd4jThreads * workers, Runtime.getRuntime().availableProcessors());
        }
        threads = new WorkerThreads(workers, "harstream-data-parallel");
        for (int k = 0; k < workers; k++) {
            // ND4J's random generator is per thread and seeded from the clock, so threads started together can
            // share a seed: give each worker its own, so dropout masks differ between shards.
            long seed = master.getDefaultConfiguration().getSeed() * 1_000_003L + k;
            threads.execute(k, () -> Nd4j.getRandom().setSeed(seed));
        }
    }

    public int workers() {
        return workers;
    }

    @Override
    public MultiLayerNetwork network() {
        return master;
    }

    @Override
    public String description() {
        return "DL4J backprop, " + workers + (workers == 1 ? " thread" : " threads (data-parallel)");
    }

    /** One optimizer step on {@code batch}, the same step as {@code master.fit(batch)}. */
    @Override
    public void fit(DataSet batch) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        INDArray features = batch.getFeatures();
        INDArray labels = batch.getLabels();
        long rows = features.size(0);
        int shards = (int) Math.min(workers, rows);
        if (shards <= 1) {
            master.fit(batch);
            score = master.score();
            return;
        }
        INDArray featuresMask = batch.getFeaturesMaskArray();
        INDArray labelsMask = batch.getLabelsMaskArray();
        int iteration = master.getIterationCount();
        int epoch = master.getEpochCount();
        INDArray masterParams = master.params();

        List<Future<Double>> results = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            long from = rows * k / shards;
            long to = rows * (k + 1) / shards;
            MultiLayerNetwork net = nets[k];
            boolean replica = k > 0;
            results.add(threads.submit(k, () -> {
                if (replica) {
                    // In place: the replica's flattened parameter array keeps its address.
                    net.params().assign(masterParams);
                    net.setIterationCount(iteration);
                    net.setEpochCount(epoch);
                }
                net.setInput(rows(features, from, to));
                net.setLabels(rows(labels, from, to));
                net.setLayerMaskArrays(featuresMask == null ? null : rows(featuresMask, from, to),
                        labelsMask == null ? null : rows(labelsMask, from, to));
                net.computeGradientAndScore();
                double shardScore = net.score();
                net.clearLayerMaskArrays();
                net.clearLayersStates();
                return shardScore * (to - from);
            }));
        }
        score = WorkerThreads.sum(results) / rows;

        // The raw gradients are sums over examples: add the replicas' into the master's gradient view.
        INDArray gradientView = master.getFlattenedGradients();
        for (int k = 1; k < shards; k++) {
            gradientView.addi(nets[k].getFlattenedGradients());
        }
        OptimizerStep.take(master, master.gradient(), iteration, epoch, (int) rows, score);
    }

    /** The loss of the last step's batch before the update, as {@code master.score()} reports after {@code fit}. */
    @Override
    public double score() {
        return score;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (threads != null) {
            // Workspaces are per thread: free this thread's now rather than whenever they are collected.
            threads.close(() -> Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread());
        }
    }

    /**
     * A network with the master's configuration and parameters that shares no object with it. Not {@code
     * master.clone()}: in DL4J 1.0.0-M2.1 the clone shares the configuration of a wrapped layer (the LSTM inside
     * {@code LastTimeStep}) with the master, and with it the stateful dropout holding the mask, so concurrent
     * steps would race. A configuration rebuilt from its JSON shares nothing.
     */
    private static MultiLayerNetwork replicaOf(MultiLayerNetwork master) {
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(master.getLayerWiseConfigurations().toJson());
        MultiLayerNetwork replica = new MultiLayerNetwork(conf);
        replica.init(master.params(), true);
        return replica;
    }

    /** Rows {@code [from, to)} of {@code a}, a view (contiguous for a 'c'-ordered array). */
    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index);
    }
}
