package io.harstream.trainer.fit;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The second half of {@code MultiLayerNetwork.fit}, once a mini-batch's raw gradient sum is in the network's
 * flattened gradient view: what {@code StochasticGradientDescent.optimize} does with it. The network's own
 * updater divides by the whole mini-batch, clips per layer, adds the L1/L2 terms and runs Adam (whose state
 * lives only in this network); the step function subtracts the update; listeners hear of the iteration; the
 * iteration counter moves on and constraints are applied.
 */
final class OptimizerStep {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private OptimizerStep() {
    }

    /**
     * @param gradient the network's gradient, whose arrays are views of {@code network.getFlattenedGradients()}
     * @param rows     the mini-batch size the updater divides by
     * @param score    the mini-batch's loss before the update, stored as {@code network.score()}
     */
    static void take(MultiLayerNetwork network, Gradient gradient, int iteration, int epoch, int rows, double score) {
        Updater updater = network.getUpdater(true);
        updater.update(network, gradient, iteration, epoch, rows, NO_WORKSPACES);
        StepFunction step = network.getOptimizer().getStepFunction();
        step.step(network.params(), gradient.gradient());
        network.setScore(score);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (TrainingListener listener : network.getListeners()) {
                listener.iterationDone(network, iteration, epoch);
            }
        }
        BaseOptimizer.incrementIterationCount(network, 1);
        BaseOptimizer.applyConstraints(network);
    }
}
