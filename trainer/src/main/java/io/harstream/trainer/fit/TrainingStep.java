package io.harstream.trainer.fit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** One optimizer step per mini-batch on a network, taken the way {@code MultiLayerNetwork.fit} takes it. */
public interface TrainingStep extends AutoCloseable {

    /** Updates {@link #network()} by one step on {@code batch}. */
    void fit(DataSet batch);

    /** The loss of the last step's mini-batch before the update, as {@code network().score()} after {@code fit}. */
    double score();

    MultiLayerNetwork network();

    /** What computes the gradient, for logs and reports, e.g. "DL4J, 2 workers". */
    String description();

    @Override
    void close();
}
