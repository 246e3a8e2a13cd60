package io.harstream.bench;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.lstm.LstmNetworkWeights;
import io.harstream.core.lstm.VectorSupport;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.trainer.fit.BackpropFit;
import io.harstream.trainer.fit.DataParallelFit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code harstream bench-train}: training throughput of the seed's network next to the machine's
 * measured matrix-multiply speed, in one run, so the ratios are meaningful on a noisy machine.
 *
 * <p>Measures, on the same batch, plain {@code MultiLayerNetwork.fit} with the ND4J thread settings the
 * JVM was started with, the trainer's {@link DataParallelFit} with {@code --workers} threads, and plain
 * {@code fit} with ND4J's thread count set inside the JVM to 1 and to 2, and the trainer's own backward pass
 * ({@link BackpropFit}) on 1 and {@code --workers} threads. The variants take turns step by
 * step (after their warm-up), so a change in the machine's load hits them alike. Prints medians.
 *
 * <p>FLOPs are counted analytically (multiply-add = 2): the forward pass of one window is dense
 * {@code 2*C*H*T} + per LSTM layer {@code 2*(in+H)*4H*T} + output; a training step is counted as 3x the
 * forward pass (forward, input gradients, weight gradients).
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        sortOptions = false,
        description = "Measures training windows/s of the LSTM (plain fit, data-parallel fit, 1 and 2 ND4J threads, "
                + "harstream's backprop on 1 and --workers threads) "
                + "and ND4J sgemm GFLOP/s in the same run.")
public final class TrainingBenchmark implements Callable<Integer> {

    @Option(names = "--batch-size", defaultValue = "1024", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--batches", defaultValue = "8", description = "Timed training batches. Default: ${DEFAULT-VALUE}.")
    int batches;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed batches first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--window", defaultValue = "200", description = "Time steps. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--hidden", defaultValue = "64", description = "Units per layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--gemm-size", defaultValue = "1024", description = "Square sgemm size. Default: ${DEFAULT-VALUE}.")
    int gemm;

    @Option(names = "--workers", defaultValue = "2",
            description = "Threads of the data-parallel and harstream-backprop variants. Default: ${DEFAULT-VALUE}.")
    int workers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingBenchmark()).execute(args));
    }

    /** ND4J's thread settings: libnd4j's (OpenMP) max threads and master threads, and OpenBLAS's threads. */
    record Nd4jThreads(int maxThreads, int masterThreads, int blasThreads) {

        static Nd4jThreads current() {
            return new Nd4jThreads(Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads(),
                    Nd4j.factory().blas().getMaxThreads());
        }

        static Nd4jThreads all(int n) {
            return new Nd4jThreads(n, n, n);
        }

        void apply() {
            Nd4j.getEnvironment().setMaxThreads(maxThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }

        @Override
        public String toString() {
            return maxThreads == masterThreads && maxThreads == blasThreads ? String.valueOf(maxThreads)
                    : maxThreads + "/" + masterThreads + "/" + blasThreads;
        }
    }

    /** One measured way of taking a training step. */
    private static final class Variant {
        final String name;
        final Nd4jThreads threads;
        /** Threads that compute a step, for the fraction of the FMA peak. */
        int computeThreads = 1;
        final Consumer<DataSet> step;
        final double[] seconds;
        final double[] cpuSeconds;

        Variant(String name, Nd4jThreads threads, Consumer<DataSet> step, int batches) {
            this.name = name;
            this.threads = threads;
            this.step = step;
            this.seconds = new double[batches];
            this.cpuSeconds = new double[batches];
        }

        /** Takes one step; records its wall and process CPU seconds in slot {@code i} (none when negative). */
        void run(DataSet data, Nd4jThreads launched, int i) {
            threads.apply();
            try {
                long cpu = processCpuNanos();
                long t = System.nanoTime();
                step.accept(data);
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - t) / 1e9;
                    cpuSeconds[i] = (processCpuNanos() - cpu) / 1e9;
                }
            } finally {
                launched.apply();
            }
        }
    }

    @Override
    public Integer call() {
        int channels = 3;
        int classes = 6;
        Nd4jThreads launched = Nd4jThreads.current();
        double sgemm = InferenceBenchmark.sgemmGflops(gemm, 10);
        // FmaPeak (Vector API) is only loaded when the module is present, as in bench-inference.
        boolean vector = VectorSupport.available();
        double[] peak = new double[Math.max(2, workers) + 1];
        for (int t = 1; vector && t < peak.length; t++) {
            try {
                peak[t] = FmaPeak.gflops(t, 0.5);
            } catch (Exception e) {
                throw new IllegalStateException("FMA peak measurement failed", e);
            }
        }
        NetworkConfig config = new NetworkConfig(channels, classes, hidden, hidden, 2, 0.0025, 0.0015, 1);
        DataSet data = randomBatch(batch, channels, window, classes);
        double assembly = batchAssemblySeconds(batch, channels, window, classes);

        List<Variant> variants = new ArrayList<>();
        MultiLayerNetwork plain = HarNetwork.create(config, window);
        variants.add(new Variant("plain fit (as launched)", launched, plain::fit, batches));
        DataParallelFit parallel = new DataParallelFit(HarNetwork.create(config, window), workers);
        variants.add(new Variant("DataParallelFit, " + workers + " workers", launched, parallel::fit, batches));
        variants.get(1).computeThreads = workers;
        MultiLayerNetwork one = HarNetwork.create(config, window);
        variants.add(new Variant("plain fit, ND4J threads set to 1", Nd4jThreads.all(1), one::fit, batches));
        MultiLayerNetwork two = HarNetwork.create(config, window);
        variants.add(new Variant("plain fit, ND4J threads set to 2", Nd4jThreads.all(2), two::fit, batches));
        variants.get(3).computeThreads = 2;
        BackpropFit ownOne = new BackpropFit(HarNetwork.create(config, window), window, 1);
        variants.add(new Variant("harstream backprop, 1 thread", launched, ownOne::fit, batches));
        BackpropFit own = new BackpropFit(HarNetwork.create(config, window), window, workers);
        variants.add(new Variant("harstream backprop, " + workers + " threads", launched, own::fit, batches));
        variants.get(5).computeThreads = workers;
        double forwardFlops = LstmNetworkWeights.of(plain).forwardFlops(window);

        try (parallel; ownOne; own) {
            for (Variant v : variants) {
                for (int i = 0; i < warmup; i++) {
                    v.run(data, launched, -1);
                }
            }
            for (int i = 0; i < batches; i++) {
                for (Variant v : variants) {
                    v.run(data, launched, i);
                }
            }
        }
        Nd4jThreads after = Nd4jThreads.current();

        String omp = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset: ND4J default)");
        System.out.printf(Locale.ROOT, "%n%s training benchmark: batch %d, window %d, %d channels, %d classes, "
                + "%d units%n", HarstreamVersion.line(), batch, window, channels, classes, hidden);
        System.out.printf(Locale.ROOT, "cpu: %s; OMP_NUM_THREADS=%s, %d cores, load average %s%n",
                InferenceBenchmark.cpuName(), omp, Runtime.getRuntime().availableProcessors(),
                InferenceBenchmark.loadAverage());
        System.out.printf(Locale.ROOT, "ND4J threads in effect at launch: maxThreads %d, maxMasterThreads %d, "
                + "OpenBLAS %d (after the run: %s)%n", launched.maxThreads(), launched.masterThreads(),
                launched.blasThreads(), after);
        System.out.printf(Locale.ROOT, "FMA peak (FloatVector fma, registers only): %.1f GFLOP/s on 1 thread, %.1f on %d%n",
                peak[1], peak[peak.length - 1], peak.length - 1);
        System.out.printf(Locale.ROOT, "ND4J sgemm %dx%d: %.1f GFLOP/s; forward %.2f MFLOP per window; "
                + "medians of %d steps after %d warm-up steps%n", gemm, gemm, sgemm, forwardFlops / 1e6, batches,
                warmup);
        System.out.printf(Locale.ROOT, "batch assembly (gather %d windows into a DataSet, as TensorSet.batch): "
                + "%.1f ms%n%n", batch, assembly * 1e3);

        double plainRate = batch / InferenceBenchmark.median(variants.get(0).seconds);
        System.out.printf(Locale.ROOT, "%-36s %8s %9s %8s %10s %9s %8s %7s %12s %14s%n", "variant", "threads",
                "step (s)", "CPU (s)", "windows/s", "GFLOP/s", "% sgemm", "% peak", "x plain fit", "windows/CPU-s");
        for (Variant v : variants) {
            double seconds = InferenceBenchmark.median(v.seconds);
            double rate = batch / seconds;
            double gflops = rate * 3 * forwardFlops / 1e9;
            double cpu = InferenceBenchmark.median(v.cpuSeconds);
            double ofPeak = peak[Math.min(v.computeThreads, peak.length - 1)];
            System.out.printf(Locale.ROOT, "%-36s %8s %9.3f %8.3f %10.1f %9.2f %7.1f%% %6s %12.2f %14.1f%n", v.name,
                    v.threads, seconds, cpu, rate, gflops, 100 * gflops / sgemm,
                    ofPeak > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * gflops / ofPeak) : "-", rate / plainRate,
                    batch / cpu);
        }
        double stepSeconds = InferenceBenchmark.median(variants.get(1).seconds);
        System.out.printf(Locale.ROOT, "%nbatch assembly is %.2f%% of a data-parallel step%n",
                100 * assembly / stepSeconds);
        System.out.println("% peak: of the FMA peak of the threads that compute the step (sgemm: ND4J's, 1 thread)");
        System.out.println("windows/CPU-s: windows per second of the JVM's CPU time (all threads), less sensitive to "
                + "other processes' load than windows/s");
        System.out.println("all step times (s), wall / CPU:");
        for (Variant v : variants) {
            System.out.printf(Locale.ROOT, "  %-36s %s / %s%n", v.name, Arrays.toString(v.seconds),
                    Arrays.toString(v.cpuSeconds));
        }
        return 0;
    }

    /** CPU time of the whole JVM process (all its threads), or wall time where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return System.nanoTime();
    }

    private static DataSet randomBatch(int n, int channels, int steps, int classes) {
        INDArray x = Nd4j.randn(DataType.FLOAT, n, channels, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return new DataSet(x, y);
    }

    /**
     * Median time to gather {@code n} random windows of a 4n-window set into a fresh DataSet, the same
     * copies as the trainer's {@code TensorSet.batch} (which runs on the training thread between steps).
     */
    private static double batchAssemblySeconds(int n, int channels, int steps, int classes) {
        int per = channels * steps;
        int pool = 4 * n;
        Random random = new Random(1);
        float[] features = new float[pool * per];
        int[] labels = new int[pool];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < pool; i++) {
            labels[i] = random.nextInt(classes);
        }
        double[] t = new double[15];
        for (int r = 0; r < t.length; r++) {
            long start = System.nanoTime();
            float[] x = new float[n * per];
            float[] y = new float[n * classes];
            for (int i = 0; i < n; i++) {
                int w = random.nextInt(pool);
                System.arraycopy(features, w * per, x, i * per, per);
                y[i * classes + labels[w]] = 1f;
            }
            DataSet d = new DataSet(Nd4j.create(x, new long[] {n, channels, steps}, 'c'),
                    Nd4j.create(y, new long[] {n, classes}, 'c'));
            t[r] = (System.nanoTime() - start) / 1e9;
            if (d.numExamples() != n) {
                throw new IllegalStateException();
            }
        }
        return InferenceBenchmark.median(t);
    }
}
