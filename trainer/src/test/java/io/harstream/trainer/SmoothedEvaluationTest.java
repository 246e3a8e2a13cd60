package io.harstream.trainer;

import io.harstream.core.window.Window;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmoothedEvaluationTest {

    private static LabeledWindow window(String user, int recording, int label, long start) {
        return new LabeledWindow(user, recording, new Window(start, start + 1, new float[1], new float[1],
                new float[1], label));
    }

    private static float[] sure(int c) {
        float[] p = new float[3];
        p[c] = 1;
        return p;
    }

    @Test
    void eachRecordingIsLabelledByItsMajorityPrediction() {
        List<LabeledWindow> test = new ArrayList<>();
        List<float[]> p = new ArrayList<>();
        // recording 0: Walking predicted 3 of 4 times; recording 1: Jogging predicted as Sitting 2 of 3 times
        int[] predicted0 = {0, 1, 0, 0};
        for (int t = 0; t < predicted0.length; t++) {
            test.add(window("1600", 0, 0, t));
            p.add(sure(predicted0[t]));
        }
        int[] predicted1 = {2, 1, 2};
        for (int t = 0; t < predicted1.length; t++) {
            test.add(window("1600", 1, 1, t));
            p.add(sure(predicted1[t]));
        }
        int[] voted = SmoothedEvaluation.blockVote(test, p.toArray(float[][]::new), 3);
        assertThat(voted).containsExactly(0, 0, 0, 0, 2, 2, 2);
    }
}
