package io.harstream.trainer.report;

/**
 * One row of the training history (the seed's {@code history} dict, one epoch).
 *
 * @param epoch         1-based epoch number
 * @param trainLoss     mean loss over the epoch's mini-batches (as the optimizer saw them)
 * @param trainAccuracy accuracy over the epoch's mini-batches
 * @param testLoss      mean loss on the whole test set after the epoch
 * @param testAccuracy  accuracy on the whole test set after the epoch
 * @param seconds       wall time of the epoch (training and test evaluation)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double seconds) {
}
