package io.harstream.bench;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.Window;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream-app's inference bound: how many windows per second the fast LSTM path classifies on {@code threads}
 * threads, each with its own {@link ActivityClassifier} on its own copy of the network and batches of the app's
 * batch size, exactly as each stream thread classifies (preprocessing included). Times the window's hop, it is the
 * event rate the app could not exceed even if everything around inference were free.
 */
final class InferenceBound {

    private InferenceBound() {
    }

    /** Windows per second over all threads, measured for {@code seconds} after a short warm-up. */
    static double windowsPerSecond(ModelBundle bundle, int threads, int batch, double seconds) throws InterruptedException {
        int length = bundle.manifest().window().length();
        Random random = new Random(11);
        List<Window> windows = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            float[] x = new float[length];
            float[] y = new float[length];
            float[] z = new float[length];
            for (int k = 0; k < length; k++) {
                x[k] = (float) random.nextGaussian();
                y[k] = 9.8f + (float) random.nextGaussian();
                z[k] = (float) random.nextGaussian();
            }
            windows.add(new Window(0, length - 1, x, y, z, 0));
        }
        AtomicLong classified = new AtomicLong();
        long warmupNanos = 2_000_000_000L;
        long measureNanos = (long) (seconds * 1e9);
        long start = System.nanoTime() + warmupNanos;
        long end = start + measureNanos;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            MultiLayerNetwork copy;
            synchronized (bundle.network()) {
                copy = bundle.network().clone();
            }
            ActivityClassifier classifier = new ActivityClassifier(copy, bundle.preprocessor(), batch);
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    classifier.probabilities(windows);
                    // Passes that end inside the interval: one straddling its start makes up for the one cut at
                    // its end.
                    long done = System.nanoTime();
                    if (done >= start && done < end) {
                        classified.addAndGet(windows.size());
                    }
                }
            }, "inference-bound-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return classified.get() / seconds;
    }
}
