package io.harstream.trainer.report;

import java.util.Map;

/**
 * The same test windows' predictions after the smoother ran over each test person's windows in time order.
 *
 * @param causal  the causal filter's confusion matrix (what the stream-app serves)
 * @param perUser the causal filter's confusion matrix of each test user
 * @param lagged  the fixed-lag smoother's confusion matrix, by lag in windows (offline: what waiting would buy)
 */
public record SmoothedFigures(ConfusionMatrix causal, Map<String, ConfusionMatrix> perUser,
                              Map<Integer, ConfusionMatrix> lagged) {
}
