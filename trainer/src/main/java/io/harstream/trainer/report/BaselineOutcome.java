package io.harstream.trainer.report;

import java.util.Map;

/**
 * The feature baseline's figures on a test set, shown beside the LSTM's.
 *
 * @param description what the baseline is (model, features, library)
 * @param confusion   its test confusion matrix
 * @param perUser     its test confusion matrix of each test user
 * @param seconds     wall time of training and prediction
 */
public record BaselineOutcome(String description, ConfusionMatrix confusion, Map<String, ConfusionMatrix> perUser,
                              double seconds) {
}
