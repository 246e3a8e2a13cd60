package io.harstream.trainer.report;

import java.util.List;
import java.util.Map;

/**
 * One cross-validation fold: whole users held out, a network trained on the others, the baseline on the
 * same windows.
 *
 * @param fold              1-based fold number
 * @param testUsers         the users held out
 * @param validationUsers   users held back from training to choose the epoch
 * @param trainWindows      windows the network was fitted on
 * @param validationWindows windows used to choose the epoch
 * @param testWindows       windows of the test users
 * @param keptEpoch         epoch the evaluated network came from
 * @param epochsRun         epochs trained before stopping
 * @param seconds           wall time of the fold (training and evaluation)
 * @param lstm              the network's test confusion matrix
 * @param baseline          the feature baseline's test confusion matrix (null when it was not run)
 * @param lstmPerUser       the network's confusion matrix of each test user
 * @param baselinePerUser   the baseline's confusion matrix of each test user (empty when it was not run)
 * @param posturesPerUser   how each test user's phone lay in each of their activities
 * @param smoothed          the network's predictions smoothed over each test user's windows (null without smoothing)
 * @param calibration       the fold's temperature and evidence exponent and what they did (null without calibration)
 */
public record FoldOutcome(int fold, List<String> testUsers, List<String> validationUsers, int trainWindows,
                          int validationWindows, int testWindows, int keptEpoch, int epochsRun, double seconds,
                          ConfusionMatrix lstm, ConfusionMatrix baseline, Map<String, ConfusionMatrix> lstmPerUser,
                          Map<String, ConfusionMatrix> baselinePerUser,
                          Map<String, Map<String, PhonePosture>> posturesPerUser, SmoothedFigures smoothed,
                          CalibrationFigures calibration) {
}
