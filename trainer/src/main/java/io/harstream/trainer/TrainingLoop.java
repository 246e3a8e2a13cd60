package io.harstream.trainer;

import io.harstream.trainer.fit.TrainingStep;
import io.harstream.trainer.report.EpochStats;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Mini-batch training, shuffling each epoch with a seeded generator, with a progress bar (epoch, batch,
 * loss, time left) and one history row per epoch.
 *
 * <p>With validation windows, the parameters of the epoch with the best validation accuracy (lower
 * validation loss breaks ties) are kept, and training stops after {@code patience} epochs without a better
 * one. The test figures are computed for the curves only; no choice ever looks at them.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** What to measure after each epoch. {@code validation()} and {@code test()} may return null (none). */
    interface EpochEvaluator {
        Evaluation train();

        Evaluation validation();

        Evaluation test();
    }

    /**
     * @param history     one row per epoch trained
     * @param keptEpoch   the epoch whose parameters the network holds now
     * @param epochChoice why that epoch, in a sentence for the report
     */
    record Result(List<EpochStats> history, int keptEpoch, String epochChoice) {
    }

    private final MultiLayerNetwork network;
    private final TrainingStep fitter;
    private final int epochs;
    private final int batchSize;
    private final int patience;
    private final long seed;
    private final String label;

    /**
     * @param fitter the optimizer step on {@code network}
     * @param label  shown in the progress bar and log lines, e.g. "train" or "fold 2/5"
     */
    TrainingLoop(MultiLayerNetwork network, TrainingStep fitter, int epochs, int batchSize, int patience, long seed,
                 String label) {
        this.network = network;
        this.fitter = fitter;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.patience = patience;
        this.seed = seed;
        this.label = label;
    }

    Result run(TensorSet train, EpochEvaluator evaluator, Consumer<List<EpochStats>> afterEpoch) {
        Random random = new Random(seed);
        Random augmentRandom = new Random(seed ^ 0x9E3779B97F4A7C15L);
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batches = (order.length + batchSize - 1) / batchSize;
        List<EpochStats> history = new ArrayList<>();
        INDArray bestParams = null;
        EpochStats best = null;
        String stopped = null;
        try (ProgressBar bar = progressBar(label, (long) epochs * batches)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                // The learning-rate schedule (if any) is indexed by DL4J's epoch counter.
                network.getLayerWiseConfigurations().setEpochCount(epoch - 1);
                shuffle(order, random);
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    fitter.fit(train.batch(order, from, Math.min(order.length, from + batchSize), augmentRandom));
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, " | epoch %d/%d batch %d/%d loss %.4f", epoch, epochs,
                            b + 1, batches, fitter.score()));
                }
                Evaluation tr = evaluator.train();
                Evaluation va = evaluator.validation();
                Evaluation te = evaluator.test();
                double seconds = (System.nanoTime() - start) / 1e9;
                EpochStats stats = new EpochStats(epoch, tr.loss(), tr.accuracy(), va == null ? Double.NaN : va.loss(),
                        va == null ? Double.NaN : va.accuracy(), te == null ? Double.NaN : te.loss(),
                        te == null ? Double.NaN : te.accuracy(), seconds);
                history.add(stats);
                LOG.info(String.format(Locale.ROOT,
                        "%s epoch %d/%d  train loss %.4f acc %.4f%s  test loss %.4f acc %.4f  (%.1f s)", label, epoch,
                        epochs, stats.trainLoss(), stats.trainAccuracy(), va == null ? "" : String.format(Locale.ROOT,
                                "  validation loss %.4f acc %.4f", va.loss(), va.accuracy()),
                        stats.testLoss(), stats.testAccuracy(), seconds));
                afterEpoch.accept(List.copyOf(history));
                if (va != null && better(stats, best)) {
                    best = stats;
                    bestParams = network.params().dup();
                }
                if (va != null && patience > 0 && epoch - best.epoch() >= patience && epoch < epochs) {
                    stopped = String.format(Locale.ROOT, "stopped after epoch %d: no better validation accuracy in %d "
                            + "epochs", epoch, patience);
                    LOG.info("{} {}", label, stopped);
                    break;
                }
            }
        }
        if (best == null) {
            return new Result(history, history.size(), "the last epoch (" + history.size()
                    + ") is kept: the recipe fixes the epoch count and holds back no validation set; the test set played "
                    + "no part in the choice");
        }
        network.setParams(bestParams);
        String choice = String.format(Locale.ROOT, "epoch %d of %d is kept: the best validation accuracy (%.4f, "
                        + "loss %.4f)%s; the test set played no part in the choice", best.epoch(), history.size(),
                best.validationAccuracy(), best.validationLoss(), stopped == null ? "" : "; " + stopped);
        return new Result(history, best.epoch(), choice);
    }

    private static boolean better(EpochStats candidate, EpochStats best) {
        if (best == null) {
            return true;
        }
        if (candidate.validationAccuracy() != best.validationAccuracy()) {
            return candidate.validationAccuracy() > best.validationAccuracy();
        }
        return candidate.validationLoss() < best.validationLoss();
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
    private static ProgressBar progressBar(String label, long steps) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(label).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() != null) {
            builder.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500);
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(30_000);
        }
        return builder.build();
    }
}
