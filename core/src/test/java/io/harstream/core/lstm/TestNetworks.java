package io.harstream.core.lstm;

import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/** Networks of HarNetwork's shape with random parameters, random inputs and DL4J's reference output. */
final class TestNetworks {

    private TestNetworks() {
    }

    /**
     * HarNetwork's network with every parameter (biases included) drawn from N(0, scale^2), so that
     * gates are neither all near 0.5 nor saturated and each gate block matters.
     */
    static MultiLayerNetwork random(int channels, int dense, int units, int layers, int classes, int window,
                                    long seed, double scale) {
        NetworkConfig c = new NetworkConfig(channels, classes, dense, units, layers, 0.0025, 0.0015, seed);
        MultiLayerNetwork net = HarNetwork.create(c, window);
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(scale));
        return net;
    }

    /** {@code batch} windows of standard-normal features, the layout of Preprocessor.fill. */
    static float[] features(int batch, int channels, int steps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * channels * steps];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(r);
        }
        return x;
    }

    static float[][] dl4j(MultiLayerNetwork net, float[] features, int batch, int channels, int steps) {
        INDArray in = Nd4j.create(features, new long[] {batch, channels, steps}, 'c');
        return net.output(in, false).toFloatMatrix();
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs((double) a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    /** Windows whose argmax differs. */
    static int argmaxMismatches(float[][] a, float[][] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (argmax(a[i]) != argmax(b[i])) {
                n++;
            }
        }
        return n;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
