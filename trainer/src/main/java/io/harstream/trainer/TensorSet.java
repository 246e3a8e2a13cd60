package io.harstream.trainer;

import io.harstream.core.features.Preprocessor;
import io.harstream.core.window.Window;
import io.harstream.trainer.recipe.Augmentation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

/**
 * Training windows as mini-batches. Without augmentation they are preprocessed once into one flat array,
 * {@code [window][channel][time]}, so an epoch only gathers rows. With augmentation every batch draws new
 * random changes of the raw windows and runs them through the same {@link Preprocessor}, a small cost next to
 * the training step (whose throughput is in BENCHMARKS.md#training-zen4).
 */
final class TensorSet {

    private final List<Window> windows;
    private final Preprocessor preprocessor;
    private final Augmentation augmentation;
    private final float[] features;
    private final int[] labels;
    private final int channels;
    private final int length;
    private final int classes;

    TensorSet(List<LabeledWindow> windows, Preprocessor preprocessor, int classes, Augmentation augmentation) {
        this.windows = windows.stream().map(LabeledWindow::window).toList();
        this.preprocessor = preprocessor;
        this.augmentation = augmentation;
        this.channels = preprocessor.channels().size();
        this.length = windows.get(0).window().length();
        this.classes = classes;
        this.labels = windows.stream().mapToInt(LabeledWindow::label).toArray();
        int per = channels * length;
        if (augmentation.enabled()) {
            this.features = null;
        } else {
            this.features = new float[windows.size() * per];
            for (int i = 0; i < windows.size(); i++) {
                preprocessor.fill(this.windows.get(i), features, i * per);
            }
        }
    }

    TensorSet(List<LabeledWindow> windows, Preprocessor preprocessor, int classes) {
        this(windows, preprocessor, classes, Augmentation.NONE);
    }

    int size() {
        return labels.length;
    }

    /** The mini-batch made of the windows {@code order[from..to)}; {@code random} draws the augmentation. */
    DataSet batch(int[] order, int from, int to, Random random) {
        int n = to - from;
        int per = channels * length;
        float[] x = new float[n * per];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int w = order[from + i];
            if (features != null) {
                System.arraycopy(features, w * per, x, i * per, per);
            } else {
                preprocessor.fill(augmentation.apply(windows.get(w), random), x, i * per);
            }
            y[i * classes + labels[w]] = 1f;
        }
        INDArray in = Nd4j.create(x, new long[] {n, channels, length}, 'c');
        INDArray out = Nd4j.create(y, new long[] {n, classes}, 'c');
        return new DataSet(in, out);
    }
}
