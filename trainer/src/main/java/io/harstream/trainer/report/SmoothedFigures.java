package io.harstream.trainer.report;

import java.util.Map;

/**
 * The same test windows' predictions after the smoother ran over each test person's windows in time order.
 *
 * @param causal  the causal filter's confusion matrix (what the stream-app serves)
 * @param perUser the causal filter's confusion matrix of each test user
 * @param lagged  the fixed-lag smoother's confusion matrix, by lag in windows (offline: what waiting would buy)
 * @param blockVote        every recording (one person doing one activity) labelled by the class most of its windows
 *                         were predicted as. Its errors are the activity blocks the network gets mostly wrong,
 *                         which a smoother following the network's evidence rarely fixes; it is no bound (a
 *                         smoother can beat the vote where it recovers part of a block)
 * @param blockVotePerUser the same per test user
 */
public record SmoothedFigures(ConfusionMatrix causal, Map<String, ConfusionMatrix> perUser,
                              Map<Integer, ConfusionMatrix> lagged, ConfusionMatrix blockVote,
                              Map<String, ConfusionMatrix> blockVotePerUser) {
}
