package io.harstream.bench;

import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.model.inference.LstmNetworkWeights;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code harstream bench-train}: training throughput of the seed's network next to the machine's
 * measured matrix-multiply speed, in one run, so the ratio is meaningful on a noisy machine.
 *
 * <p>Prints medians over repeated timings. FLOPs are counted analytically (multiply-add = 2): the
 * forward pass of one window is dense {@code 2*C*H*T} + per LSTM layer {@code 2*(in+H)*4H*T} + output;
 * a training step is counted as 3x the forward pass (forward, input gradients, weight gradients).
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures training windows/s of the LSTM and ND4J sgemm GFLOP/s in the same run.")
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        int channels = 3;
        int classes = 6;
        double sgemm = InferenceBenchmark.sgemmGflops(gemm, 10);
        MultiLayerNetwork net = HarNetwork.create(NetworkConfig.seed(channels, classes, 1), window);
        DataSet data = randomBatch(batch, channels, window, classes);
        for (int i = 0; i < warmup; i++) {
            net.fit(data);
        }
        double[] seconds = new double[batches];
        for (int i = 0; i < batches; i++) {
            long t = System.nanoTime();
            net.fit(data);
            seconds[i] = (System.nanoTime() - t) / 1e9;
        }
        double batchSeconds = InferenceBenchmark.median(seconds);
        double windowsPerSecond = batch / batchSeconds;
        double forwardFlops = LstmNetworkWeights.of(net).forwardFlops(window);
        double trainGflops = windowsPerSecond * 3 * forwardFlops / 1e9;

        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset: ND4J default)");
        System.out.printf(Locale.ROOT, "%nharstream training benchmark (OMP_NUM_THREADS=%s, %d cores)%n", threads,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-44s %14s%n", "measure", "median");
        System.out.printf(Locale.ROOT, "%-44s %14.1f%n", "ND4J sgemm " + gemm + "x" + gemm + " GFLOP/s", sgemm);
        System.out.printf(Locale.ROOT, "%-44s %14.3f%n", "train step, batch " + batch + " (s)", batchSeconds);
        System.out.printf(Locale.ROOT, "%-44s %14.1f%n", "training windows/s", windowsPerSecond);
        System.out.printf(Locale.ROOT, "%-44s %14.2f%n", "forward MFLOP per window", forwardFlops / 1e6);
        System.out.printf(Locale.ROOT, "%-44s %14.2f%n", "achieved training GFLOP/s (3x forward)", trainGflops);
        System.out.printf(Locale.ROOT, "%-44s %13.1f%%%n", "achieved / sgemm", 100 * trainGflops / sgemm);
        System.out.printf(Locale.ROOT, "all batch times (s): %s%n", Arrays.toString(seconds));
        return 0;
    }

    private static DataSet randomBatch(int n, int channels, int steps, int classes) {
        INDArray x = Nd4j.randn(DataType.FLOAT, n, channels, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return new DataSet(x, y);
    }
}
