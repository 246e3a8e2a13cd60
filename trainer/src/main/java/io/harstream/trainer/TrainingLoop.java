package io.harstream.trainer;

import io.harstream.trainer.report.EpochStats;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Mini-batch training for a fixed number of epochs, shuffling each epoch with a seeded generator,
 * with a progress bar (epoch, batch, loss, time left) and one history row per epoch.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** What to measure after each epoch: train and test loss/accuracy. */
    interface EpochEvaluator {
        Evaluation train();

        Evaluation test();
    }

    private final MultiLayerNetwork network;
    private final int epochs;
    private final int batchSize;
    private final long seed;

    TrainingLoop(MultiLayerNetwork network, int epochs, int batchSize, long seed) {
        this.network = network;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    List<EpochStats> run(TensorSet train, EpochEvaluator evaluator, Consumer<List<EpochStats>> afterEpoch) {
        Random random = new Random(seed);
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batches = (order.length + batchSize - 1) / batchSize;
        List<EpochStats> history = new ArrayList<>();
        try (ProgressBar bar = progressBar((long) epochs * batches)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                shuffle(order, random);
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    network.fit(train.batch(order, from, Math.min(order.length, from + batchSize)));
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, " | epoch %d/%d batch %d/%d loss %.4f", epoch, epochs,
                            b + 1, batches, network.score()));
                }
                Evaluation tr = evaluator.train();
                Evaluation te = evaluator.test();
                double seconds = (System.nanoTime() - start) / 1e9;
                EpochStats stats = new EpochStats(epoch, tr.loss(), tr.accuracy(), te.loss(), te.accuracy(), seconds);
                history.add(stats);
                LOG.info(String.format(Locale.ROOT,
                        "epoch %d/%d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  (%.1f s)", epoch, epochs,
                        stats.trainLoss(), stats.trainAccuracy(), stats.testLoss(), stats.testAccuracy(), seconds));
                afterEpoch.accept(List.copyOf(history));
            }
        }
        return history;
    }

    /** Fisher-Yates with our own generator, so the order depends on the seed only. */
    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** An animated bar on a terminal; in a log file, a plain line every 30 s instead of carriage returns. */
    private static ProgressBar progressBar(long steps) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() != null) {
            builder.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500);
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(30_000);
        }
        return builder.build();
    }
}
