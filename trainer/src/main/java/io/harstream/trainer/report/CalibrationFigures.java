package io.harstream.trainer.report;

import java.util.List;
import java.util.Map;

/**
 * What calibration chose and what it did: the temperature and the smoother's evidence exponent, where they were
 * fitted, and the test windows' reliability before and after the temperature.
 *
 * @param temperature       the temperature written into the bundle
 * @param evidenceExponent  the smoother's evidence exponent written into the bundle (1 without smoothing)
 * @param source            "calibration network" (a second network trained without the calibration people) or
 *                          "validation users" (the recipe's, predicted by the network itself)
 * @param fittedOn          the people the two were fitted on
 * @param fitWindows        their windows
 * @param fitEceBefore      ECE on those windows before the temperature
 * @param fitEceAfter       ECE on those windows after it
 * @param fitSmoothed       smoothed accuracy on those people for each evidence exponent tried (empty without
 *                          smoothing); the largest chose it
 * @param testBefore        the test windows' reliability as the network gives its probabilities
 * @param testAfter         the same after the temperature: what the bundle serves
 * @param plainSmoothed     the test windows smoothed as a bundle without calibration would (the network's own
 *                          probabilities, exponent 1), to show what the two scalars change; null without smoothing
 * @param hindsight         the single temperature with the lowest ECE on the test people themselves, and that ECE:
 *                          a diagnostic bound, never written into a bundle. No temperature fitted on other people
 *                          can do better on these; when even this one misses a target, the gap is not the fit's
 *                          but one temperature's (people differ in how overconfident the network is about them)
 */
public record CalibrationFigures(double temperature, double evidenceExponent, String source, List<String> fittedOn,
                                 int fitWindows, double fitEceBefore, double fitEceAfter,
                                 Map<Double, Double> fitSmoothed, Reliability testBefore, Reliability testAfter,
                                 SmoothedFigures plainSmoothed, Hindsight hindsight) {

    /**
     * @param temperature the temperature, of a grid of log-spaced values in the fit's range
     * @param ece         the test windows' ECE under it
     */
    public record Hindsight(double temperature, double ece) {
    }
}
