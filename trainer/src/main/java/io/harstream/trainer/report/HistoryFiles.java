package io.harstream.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The training history as {@code history.csv} and as the seed's {@code history} dict ({@code history.json}). */
final class HistoryFiles {

    static final String CSV_HEADER = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HistoryFiles() {
    }

    /**
     * Header plus one row per epoch, {@link Locale#ROOT} (dot decimals), 6 decimals for losses and
     * accuracies (fractions), 3 for seconds; a non-finite value is written as {@code NaN}/{@code Infinity}.
     */
    static String csv(List<EpochStats> history) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochStats e : history) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f\n", e.epoch(),
                    e.trainLoss(), e.trainAccuracy(), e.validationLoss(), e.validationAccuracy(), e.testLoss(),
                    e.testAccuracy(), e.seconds()));
        }
        return sb.toString();
    }

    /**
     * {@code {"train_loss":[...],"train_accuracy":[...],"val_loss":[...],"val_accuracy":[...],"test_loss":[...],"test_accuracy":[...],
     * "epoch_seconds":[...]}}, one element per epoch in order; non-finite values become {@code null}.
     */
    static String json(List<EpochStats> history) {
        ObjectNode root = MAPPER.createObjectNode();
        array(root, "train_loss", history, EpochStats::trainLoss);
        array(root, "train_accuracy", history, EpochStats::trainAccuracy);
        array(root, "val_loss", history, EpochStats::validationLoss);
        array(root, "val_accuracy", history, EpochStats::validationAccuracy);
        array(root, "test_loss", history, EpochStats::testLoss);
        array(root, "test_accuracy", history, EpochStats::testAccuracy);
        array(root, "epoch_seconds", history, EpochStats::seconds);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void array(ObjectNode root, String key, List<EpochStats> history, ToDoubleFunction<EpochStats> f) {
        ArrayNode a = root.putArray(key);
        for (EpochStats e : history) {
            double v = f.applyAsDouble(e);
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
    }
}
