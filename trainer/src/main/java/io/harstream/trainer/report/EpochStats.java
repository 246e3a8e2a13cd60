package io.harstream.trainer.report;

/**
 * One row of the training history (the seed's {@code history} dict, one epoch, plus validation).
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          loss on a fixed sample of the training windows after the epoch
 * @param trainAccuracy      accuracy on that sample
 * @param validationLoss     loss on the validation windows after the epoch ({@code NaN} without validation)
 * @param validationAccuracy accuracy on the validation windows ({@code NaN} without validation)
 * @param testLoss           loss on the whole test set after the epoch (shown, never used for choices)
 * @param testAccuracy       accuracy on the whole test set after the epoch
 * @param seconds            wall time of the epoch (training and evaluation)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double testLoss, double testAccuracy, double seconds) {

    /** A row without validation figures. */
    public EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                      double seconds) {
        this(epoch, trainLoss, trainAccuracy, Double.NaN, Double.NaN, testLoss, testAccuracy, seconds);
    }

    public boolean hasValidation() {
        return !Double.isNaN(validationAccuracy);
    }
}
