package io.harstream.trainer.report;

/**
 * The feature baseline's figures on a test set, shown beside the LSTM's.
 *
 * @param description what the baseline is (model, features, library)
 * @param confusion   its test confusion matrix
 * @param seconds     wall time of training and prediction
 */
public record BaselineOutcome(String description, ConfusionMatrix confusion, double seconds) {
}
