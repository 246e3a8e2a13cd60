package io.harstream.trainer;

import io.harstream.core.features.Preprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Training windows preprocessed once into one flat array, {@code [window][channel][time]}, so each
 * epoch only gathers mini-batches instead of recomputing channels and normalization.
 */
final class TensorSet {

    private final float[] features;
    private final int[] labels;
    private final int channels;
    private final int length;
    private final int classes;

    TensorSet(List<LabeledWindow> windows, Preprocessor preprocessor, int classes) {
        this.channels = preprocessor.channels().size();
        this.length = windows.get(0).window().length();
        this.classes = classes;
        int per = channels * length;
        this.features = new float[windows.size() * per];
        this.labels = new int[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            preprocessor.fill(windows.get(i).window(), features, i * per);
            labels[i] = windows.get(i).label();
        }
    }

    int size() {
        return labels.length;
    }

    /** The mini-batch made of the windows {@code order[from..to)}. */
    DataSet batch(int[] order, int from, int to) {
        int n = to - from;
        int per = channels * length;
        float[] x = new float[n * per];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int w = order[from + i];
            System.arraycopy(features, w * per, x, i * per, per);
            y[i * classes + labels[w]] = 1f;
        }
        INDArray in = Nd4j.create(x, new long[] {n, channels, length}, 'c');
        INDArray out = Nd4j.create(y, new long[] {n, classes}, 'c');
        return new DataSet(in, out);
    }
}
