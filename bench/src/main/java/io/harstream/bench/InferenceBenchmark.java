package io.harstream.bench;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.lstm.LstmForward;
import io.harstream.core.lstm.LstmNetworkWeights;
import io.harstream.core.lstm.VectorSupport;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.FixedLagSmoother;
import io.harstream.core.smoothing.FixedLagState;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.core.smoothing.SmoothingModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code harstream bench-inference}: the inference forward pass of the seed's network, DL4J's
 * {@code MultiLayerNetwork.output} against the fast path ({@link LstmForward}), next to what the
 * machine can do: its FMA peak (a register-only Vector API loop) and ND4J's sgemm, all measured in
 * one run so that the ratios stay meaningful on a noisy machine.
 *
 * <p>Per batch size and thread count: the median time of one batch over several timed repetitions
 * after warm-up, windows/s from it, achieved GFLOP/s (forward FLOPs counted from the network shape,
 * a multiply-add = 2, see {@link LstmNetworkWeights#forwardFlops}) and that as a fraction of the FMA
 * peak measured with the same number of threads. With 2 threads, DL4J runs two network copies on
 * two Java threads (half the batch each, {@code OMP_NUM_THREADS} as set, 1 by default from the
 * launcher) and the fast path splits the batch the same way; a batch too small to split runs on one
 * thread for DL4J, while the fast path splits the network's layers over two threads.
 */
@Command(name = "bench-inference", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        sortOptions = false,
        description = "Inference windows/s and latency of DL4J and the fast LSTM path, against the FMA peak and sgemm.")
public final class InferenceBenchmark implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "A short run: batches 1,64,256, fewer repetitions.")
    boolean quick;

    @Option(names = "--batches", split = ",", description = "Batch sizes. Default: 1,8,64,256,1024 (--quick: 1,64,256).")
    int[] batches;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts. Default: ${DEFAULT-VALUE}.")
    int[] threads;

    @Option(names = "--reps", description = "Timed repetitions per measurement (median reported). Default: 7 (--quick: 3).")
    Integer reps;

    @Option(names = "--min-seconds", description = "Keep repeating until the timed repetitions took this long. "
            + "Default: 1 (--quick: 0.3).")
    Double minSeconds;

    @Option(names = "--window", defaultValue = "200", description = "Time steps per window. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--hidden", defaultValue = "64", description = "Dense and LSTM units. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "LSTM layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--channels", defaultValue = "3", description = "Input channels. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--classes", defaultValue = "6", description = "Classes. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--gemm-size", defaultValue = "1024", description = "Square sgemm size. Default: ${DEFAULT-VALUE}.")
    int gemm;

    @Option(names = "--peak-seconds", description = "Seconds per FMA peak run (best of 3). Default: 1 (--quick: 0.3).")
    Double peakSeconds;

    @Option(names = "--no-dl4j", description = "Measure the fast path only.")
    boolean noDl4j;

    @Option(names = "--smoothing-lags", split = ",", defaultValue = "2,5,10",
            description = "Fixed smoothing lags (windows) whose per-window cost is measured beside the causal filter's "
                    + "(the stream-app's --smoothing-lag). Default: ${DEFAULT-VALUE}.")
    int[] smoothingLags;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InferenceBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int[] sizes = batches != null ? batches : quick ? new int[] {1, 64, 256} : new int[] {1, 8, 64, 256, 1024};
        int repetitions = reps != null ? reps : quick ? 3 : 7;
        double minTime = minSeconds != null ? minSeconds : quick ? 0.3 : 1.0;
        int maxThreads = Arrays.stream(threads).max().orElse(1);
        if (Arrays.stream(threads).anyMatch(t -> t < 1) || Arrays.stream(sizes).anyMatch(b -> b < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "batch sizes and threads must be positive");
        }
        if (Arrays.stream(smoothingLags).anyMatch(l -> l < 1 || l > FixedLagSmoother.MAX_LAG)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "smoothing lags must be 1 to "
                    + FixedLagSmoother.MAX_LAG);
        }
        String loadBefore = loadAverage();

        MultiLayerNetwork net = HarNetwork.create(
                new NetworkConfig(channels, classes, hidden, hidden, layers, 0.0025, 0.0015, 1), window);
        LstmNetworkWeights weights = LstmNetworkWeights.of(net);
        LstmForward fast = LstmForward.create(weights);
        double flops = weights.forwardFlops(window);

        double[] peak = new double[maxThreads + 1];
        Arrays.fill(peak, Double.NaN);
        boolean vector = VectorSupport.available();
        int[] peakThreads = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(1), Arrays.stream(threads))
                .distinct().sorted().toArray();
        for (int t : peakThreads) {
            if (vector) { // FmaPeak (Vector API) is only loaded when the module is present
                peak[t] = FmaPeak.gflops(t, peakSeconds != null ? peakSeconds : quick ? 0.3 : 1.0);
            }
        }
        double sgemm = sgemmGflops(gemm, quick ? 3 : 10);

        int maxBatch = Arrays.stream(sizes).max().orElse(1);
        float[] x = features(maxBatch * channels * window, 7);
        List<MultiLayerNetwork> copies = new ArrayList<>();
        copies.add(net);
        for (int t = 1; t < maxThreads; t++) {
            copies.add(net.clone());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, maxThreads - 1), r -> {
            Thread th = new Thread(r, "dl4j-bench");
            th.setDaemon(true);
            return th;
        });

        // Sanity: the two engines agree on the first 16 windows.
        int check = Math.min(16, maxBatch);
        float[][] a = fast.probabilities(x, check, window);
        float[][] b = net.output(input(x, 0, check), false).toFloatMatrix();
        double maxDiff = 0;
        for (int i = 0; i < check; i++) {
            for (int j = 0; j < classes; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - b[i][j]));
            }
        }

        // Global warm-up, so that C2 has compiled every kernel (the 1-window and the 4-window tile paths,
        // the thread split) before the first timed row, not during it.
        long warmUntil = System.nanoTime() + (long) ((quick ? 1 : 3) * 1e9);
        int warmBatch = Math.min(maxBatch, 64);
        while (System.nanoTime() < warmUntil) {
            fast.probabilities(x, 1, window);
            fast.probabilities(x, warmBatch, window, maxThreads);
        }
        if (!noDl4j) {
            net.output(input(x, 0, Math.min(maxBatch, 8)), false);
        }

        List<Row> rows = new ArrayList<>();
        for (int batch : sizes) {
            for (int t : threads) {
                Row dl4j = null;
                if (!noDl4j) {
                    List<INDArray> parts = split(x, batch, t);
                    dl4j = measure("DL4J", batch, t, parts.size(), repetitions, minTime, flops, peak[parts.size()],
                            () -> dl4jBatch(copies, parts, pool));
                    rows.add(dl4j);
                }
                int effective = fast.threadsFor(batch, t);
                Row f = measure("fast", batch, t, effective, repetitions, minTime, flops, peak[effective],
                        () -> fast.probabilities(x, batch, window, t));
                f.ratio = dl4j == null ? Double.NaN : dl4j.seconds / f.seconds;
                rows.add(f);
            }
        }
        pool.shutdownNow();

        // The stream-app's smoothing step per window, as BatchClassifier does it with every window from another
        // device: the device's state read from its bytes, one filter step, the state written back as bytes.
        ActivitySmoother smoother = new ActivitySmoother(stickyModel(classes), classes);
        float[][] probabilities = fast.probabilities(x, Math.min(maxBatch, 256), window);
        List<Row> smoothing = new ArrayList<>();
        for (int batch : sizes) {
            byte[][] states = new byte[batch][];
            long[] clock = {1_764_000_000_000L};
            smoothing.add(measure("smooth", batch, 1, 1, repetitions, minTime, 0, Double.NaN, () -> {
                clock[0] += 1000;
                for (int i = 0; i < batch; i++) {
                    SmootherState previous = states[i] == null ? null : SmootherState.fromBytes(states[i]);
                    states[i] = smoother.step(previous, clock[0], probabilities[i % probabilities.length]).toBytes();
                }
            }));
            // With --smoothing-lag: the device's fixed-lag state (the filter and the last L windows) from its bytes,
            // one step (the filter, then the label of the window L back), the state back to bytes.
            for (int lag : smoothingLags) {
                FixedLagSmoother lagged = new FixedLagSmoother(smoother, lag);
                byte[][] lagStates = new byte[batch][];
                long[] lagClock = {1_764_000_000_000L};
                smoothing.add(measure("lag " + lag, batch, 1, 1, repetitions, minTime, 0, Double.NaN, () -> {
                    lagClock[0] += 1000;
                    for (int i = 0; i < batch; i++) {
                        FixedLagState previous = lagStates[i] == null ? null : FixedLagState.fromBytes(lagStates[i]);
                        lagStates[i] = lagged.step(previous, lagClock[0], lagClock[0] + 9_950, 0,
                                probabilities[i % probabilities.length]).state().toBytes();
                    }
                }));
            }
        }

        String omp = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset: ND4J default)");
        System.out.printf(Locale.ROOT, "%n%s inference benchmark%n", HarstreamVersion.line());
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores; load average before %s, after %s%n", cpuName(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.printf(Locale.ROOT, "network: %s, window %d: %.2f MFLOP per window forward%n", weights, window,
                flops / 1e6);
        System.out.printf(Locale.ROOT, "fast path: %s; DL4J: OMP_NUM_THREADS=%s; max |p_fast - p_dl4j| on %d windows: "
                + "%.2g%n", fast.description(), omp, check, maxDiff);
        System.out.printf(Locale.ROOT, "medians of %d+ timed repetitions (at least %.1f s) after warm-up%n%n",
                repetitions, minTime);
        if (!vector) {
            System.out.println("no FMA peak: the JVM was started without --add-modules jdk.incubator.vector");
        }
        System.out.printf(Locale.ROOT, "%-44s %10s%n", "machine", "GFLOP/s");
        for (int t : peakThreads) {
            System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "FMA peak (FloatVector fma x12 chains), " + t
                    + " thread" + (t > 1 ? "s" : ""), peak[t]);
        }
        System.out.printf(Locale.ROOT, "%-44s %10.1f   (%.0f %% of the 1-thread FMA peak)%n%n",
                "ND4J sgemm " + gemm + "x" + gemm + ", OMP_NUM_THREADS=" + omp, sgemm,
                peak.length > 1 && peak[1] > 0 ? 100 * sgemm / peak[1] : Double.NaN);
        System.out.printf(Locale.ROOT, "%-6s %6s %8s %12s %14s %9s %8s %10s%n", "engine", "batch", "threads",
                "windows/s", "latency (ms)", "GFLOP/s", "% peak", "fast/DL4J");
        for (Row r : rows) {
            String th = r.effectiveThreads == r.threads ? String.valueOf(r.threads)
                    : r.threads + " (" + r.effectiveThreads + ")";
            System.out.printf(Locale.ROOT, "%-6s %6d %8s %12.1f %14.3f %9.2f %7.1f%% %10s%n", r.engine, r.batch, th,
                    r.batch / r.seconds, r.seconds * 1e3, r.gflops, 100 * r.gflops / r.peak,
                    Double.isNaN(r.ratio) ? "" : String.format(Locale.ROOT, "%.1fx", r.ratio));
        }
        System.out.println("threads \"2 (1)\": the batch was too small to split, one thread did the work (the fast path "
                + "splits a batch of up to 8 windows by layers instead, on 2 threads); % peak: of the FMA peak of the "
                + "threads that did the work.");
        System.out.printf(Locale.ROOT, "%nsmoothing (core ActivitySmoother, %d classes; per window: state from bytes, one "
                + "filter step, state to bytes, as the stream-app does per device; \"lag L\": core FixedLagSmoother, "
                + "the same plus the label of the window L back, as with --smoothing-lag L), 1 thread%n", classes);
        System.out.printf(Locale.ROOT, "%-7s %6s %16s %26s %12s%n", "step", "batch", "us per window",
                "fast path us per window", "smoothing %");
        for (Row r : smoothing) {
            Row inference = rows.stream().filter(f -> f.engine.equals("fast") && f.batch == r.batch && f.threads == 1)
                    .findFirst().orElse(null);
            double perWindow = r.seconds / r.batch * 1e6;
            double inferencePerWindow = inference == null ? Double.NaN : inference.seconds / inference.batch * 1e6;
            System.out.printf(Locale.ROOT, "%-7s %6d %16.3f %26.1f %11.2f%%%n",
                    r.engine.equals("smooth") ? "causal" : r.engine, r.batch, perWindow, inferencePerWindow,
                    100 * perWindow / inferencePerWindow);
        }
        return 0;
    }

    /** Uniform prior, each class staying with probability 0.995 from one window to the next. */
    private static SmoothingModel stickyModel(int k) {
        double[] prior = new double[k];
        double[][] transitions = new double[k][k];
        for (int i = 0; i < k; i++) {
            prior[i] = 1.0 / k;
            for (int j = 0; j < k; j++) {
                transitions[i][j] = i == j ? 0.995 : 0.005 / (k - 1);
            }
        }
        return new SmoothingModel(1000, 6000, prior, transitions);
    }

    private static final class Row {
        final String engine;
        final int batch;
        final int threads;
        final int effectiveThreads;
        final double seconds;
        final double gflops;
        final double peak;
        double ratio = Double.NaN;

        Row(String engine, int batch, int threads, int effectiveThreads, double seconds, double gflops, double peak) {
            this.engine = engine;
            this.batch = batch;
            this.threads = threads;
            this.effectiveThreads = effectiveThreads;
            this.seconds = seconds;
            this.gflops = gflops;
            this.peak = peak;
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static Row measure(String engine, int batch, int threads, int effective, int reps, double minTime,
                               double flopsPerWindow, double peak, Work work) throws Exception {
        // Warm-up: at least 2 calls and a third of the timed budget, so that C2 has compiled the kernels.
        long warmStart = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - warmStart < minTime / 3 * 1e9; i++) {
            work.run();
        }
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < reps || System.nanoTime() - start < minTime * 1e9) {
            long t0 = System.nanoTime();
            work.run();
            times.add((System.nanoTime() - t0) / 1e9);
        }
        double median = median(times.stream().mapToDouble(Double::doubleValue).toArray());
        double gflops = batch * flopsPerWindow / median / 1e9;
        System.err.printf(Locale.ROOT, "  %-5s batch %4d, %d thread(s): %.3f ms (%d reps)%n", engine, batch, threads,
                median * 1e3, times.size());
        return new Row(engine, batch, threads, effective, median, gflops, peak);
    }

    /** DL4J: part i of the batch on network copy i, the first part on the calling thread. */
    private static void dl4jBatch(List<MultiLayerNetwork> copies, List<INDArray> parts, ExecutorService pool)
            throws Exception {
        List<Future<INDArray>> futures = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            MultiLayerNetwork copy = copies.get(i);
            INDArray part = parts.get(i);
            futures.add(pool.submit(() -> copy.output(part, false)));
        }
        copies.get(0).output(parts.get(0), false);
        for (Future<INDArray> f : futures) {
            f.get();
        }
    }

    /** The first {@code batch} windows as up to {@code threads} contiguous DL4J inputs (parts of at least 8 windows). */
    private List<INDArray> split(float[] x, int batch, int threads) {
        int parts = Math.max(1, Math.min(threads, (batch + 7) / 8));
        List<INDArray> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) batch * p / parts);
            int to = (int) ((long) batch * (p + 1) / parts);
            out.add(input(x, from, to - from));
        }
        return out;
    }

    private INDArray input(float[] x, int first, int count) {
        int per = channels * window;
        float[] part = Arrays.copyOfRange(x, first * per, (first + count) * per);
        return Nd4j.create(part, new long[] {count, channels, window}, 'c');
    }

    private static float[] features(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1) * 1.7f;
        }
        return x;
    }

    /** ND4J sgemm GFLOP/s on the calling thread, median of {@code reps} square multiplications; bench-train uses it too. */
    static double sgemmGflops(int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        a.mmuli(b, c); // warm-up
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            a.mmuli(b, c);
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        return 2.0 * n * n * n / median(t) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * The CPU's name with its family and model numbers: virtual machines often name only the vendor's line
     * ("AMD EPYC"), and the FMA width, which halves or doubles every figure here, differs between models.
     */
    static String cpuName() {
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String name = cpuInfo(info, "model name");
            String family = cpuInfo(info, "cpu family");
            String model = cpuInfo(info, "model");
            return (name == null ? System.getProperty("os.arch") : name)
                    + (family == null || model == null ? "" : " (family " + family + ", model " + model + ")");
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    /** The first value of {@code key} in /proc/cpuinfo lines ({@code key<tabs>: value}), or null. */
    private static String cpuInfo(List<String> lines, String key) {
        return lines.stream().filter(l -> l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).trim().equals(key))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
    }
}
