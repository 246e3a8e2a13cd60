package io.harstream.trainer.fit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Which code computes the training gradient; the DL4J updater takes the step either way. */
public enum Backprop {

    /** harstream's own backward pass ({@link BackpropFit}); DL4J's where the network is not supported. */
    HARSTREAM,
    /** DL4J's own {@code computeGradientAndScore}, data-parallel over the workers ({@link DataParallelFit}). */
    DL4J;

    private static final Logger LOG = LoggerFactory.getLogger(Backprop.class);

    /** The step for {@code network}, whose windows have {@code steps} time steps, split over {@code workers}. */
    public TrainingStep stepFor(MultiLayerNetwork network, int steps, int workers) {
        if (this == HARSTREAM) {
            Optional<String> reason = BackpropFit.unsupportedReason(network);
            if (reason.isEmpty()) {
                return new BackpropFit(network, steps, workers);
            }
            LOG.warn("{}; training with DL4J's backprop instead", reason.get());
        }
        return new DataParallelFit(network, workers);
    }
}
