package io.harstream.trainer.report;

import java.util.List;

/**
 * One test person's windows in time order, for the report's strip plot: the true activity, the network's
 * prediction and the smoothed prediction, as class indices.
 *
 * @param user      the person
 * @param classes   class names, in index order
 * @param actual    true class of each window
 * @param raw       the network's class of each window
 * @param smoothed  the causal smoother's class of each window
 * @param restarts  indices of the windows where the smoother started over (after a gap)
 */
public record ActivityStrip(String user, List<String> classes, int[] actual, int[] raw, int[] smoothed,
                            List<Integer> restarts) {
}
