package io.harstream.core.model;

import java.util.List;

/**
 * The bundle's {@code calibration} section: the temperature {@link ActivityClassifier} divides the log of every
 * probability by before renormalising ({@link TemperatureScaling}), and where it was fitted.
 *
 * <p>Temperature scaling keeps the order of the classes (so every prediction, and every raw accuracy figure, stays
 * what it was) and changes only how sure the probabilities say the network is: {@code T > 1} softens them,
 * {@code T < 1} sharpens them. The trainer fits {@code T} on people the network never trained on (the recipe's
 * validation people, or a held-out part of the training people and a second network trained without them) and
 * never on the test people.
 *
 * @param temperature the temperature {@code T}: finite and positive; 1 changes nothing
 * @param fittedOn    the people whose windows it was fitted on
 * @param windows     how many windows those were
 * @param eceBefore   expected calibration error on those windows before scaling (15 equal-width bins of the top
 *                    probability)
 * @param eceAfter    the same after scaling
 */
public record Calibration(double temperature, List<String> fittedOn, int windows, double eceBefore,
                          double eceAfter) {

    public Calibration {
        fittedOn = fittedOn == null ? List.of() : List.copyOf(fittedOn);
    }

    /** What is wrong with this section, in one line, or null when nothing is. */
    public String problem() {
        return TemperatureScaling.problem(temperature);
    }
}
