package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.window.Window;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AugmentationTest {

    private static Window window() {
        int n = 50;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = (float) Math.sin(t * 0.3);
            y[t] = 9.81f + (float) Math.cos(t * 0.2);
            z[t] = 0.5f * t / n;
        }
        return new Window(1000, 3450, x, y, z, 3);
    }

    @Test
    void keepsLabelTimestampsAndShapeAndLeavesTheInputAlone() {
        Window w = window();
        float[] yBefore = w.y().clone();
        Window a = Augmentation.parse("rotate=30,flip,scale=0.1,jitter=0.05").apply(w, new Random(1));
        assertThat(a.label()).isEqualTo(3);
        assertThat(a.startTs()).isEqualTo(1000);
        assertThat(a.endTs()).isEqualTo(3450);
        assertThat(a.length()).isEqualTo(w.length());
        assertThat(w.y()).containsExactly(yBefore);
        assertThat(a.y()).isNotEqualTo(w.y());
    }

    @Test
    void rotationsKeepTheMagnitude() {
        Window w = window();
        Augmentation rotations = new Augmentation(180, 180, 180, true, 0, 0);
        Random random = new Random(7);
        for (int k = 0; k < 20; k++) {
            Window a = rotations.apply(w, random);
            for (int t = 0; t < w.length(); t++) {
                assertThat(Channel.magnitude(a.x()[t], a.y()[t], a.z()[t]))
                        .isCloseTo(Channel.magnitude(w.x()[t], w.y()[t], w.z()[t]), within(1e-4f));
            }
        }
    }

    @Test
    void longAxisRotationKeepsTheLongAxisAndScreenRotationKeepsZ() {
        Window w = window();
        Window a = Augmentation.parse("rotate-long=180").apply(w, new Random(3));
        assertThat(a.y()).containsExactly(w.y());
        assertThat(a.x()).isNotEqualTo(w.x());
        Window b = Augmentation.parse("rotate-screen=90").apply(w, new Random(3));
        assertThat(b.z()).containsExactly(w.z());
    }

    @Test
    void flipTurnsThePhoneUpsideDownHalfTheTime() {
        Window w = window();
        Augmentation flip = Augmentation.parse("flip");
        Random random = new Random(11);
        int flipped = 0;
        for (int k = 0; k < 200; k++) {
            Window a = flip.apply(w, random);
            if (a.y()[0] < 0) {
                flipped++;
                assertThat(a.x()[5]).isEqualTo(-w.x()[5]);
                assertThat(a.z()[5]).isEqualTo(w.z()[5]);
            } else {
                assertThat(a.y()).containsExactly(w.y());
            }
        }
        assertThat(flipped).isBetween(70, 130);
    }

    @Test
    void scaleStaysInItsRange() {
        Window w = window();
        Random random = new Random(5);
        for (int k = 0; k < 50; k++) {
            Window a = Augmentation.parse("scale=0.1").apply(w, random);
            double factor = a.y()[0] / w.y()[0];
            assertThat(factor).isBetween(0.9 - 1e-6, 1.1 + 1e-6);
            assertThat(a.x()[7] / w.x()[7]).isCloseTo((float) factor, within(1e-4f));
        }
    }

    /** A ramp played 1.5x as fast about its middle: slope 1.5, the middle fixed, the ends held. */
    @Test
    void stretchPlaysTheWindowFasterOrSlowerAboutItsMiddle() {
        float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(Augmentation.stretched(ramp, 1.5)).containsExactly(new float[] {0, 0, 1, 2.5f, 4, 5.5f, 7, 8, 8},
                within(1e-6f));
        assertThat(Augmentation.stretched(ramp, 0.5)).containsExactly(new float[] {2, 2.5f, 3, 3.5f, 4, 4.5f, 5, 5.5f, 6},
                within(1e-6f));
        assertThat(Augmentation.stretched(ramp, 1)).isSameAs(ramp);
        // Through apply: a slower sine has the same label and length, and its middle sample stays.
        Window w = window();
        Window slower = new Augmentation(0, 0, 0, false, 0, 0, 0.3).apply(w, new Random(3));
        assertThat(slower.length()).isEqualTo(w.length());
        assertThat(slower.label()).isEqualTo(w.label());
        assertThat(slower.x()).isNotEqualTo(w.x());
        int mid = (w.length() - 1) / 2; // 24.5 is the centre: samples 24 and 25 move by half a step at most
        assertThat(Math.abs(slower.x()[mid] - w.x()[mid])).isLessThan(0.3f * 0.5f * 0.3f + 1e-3f);
    }

    @Test
    void sameRandomSameResult() {
        Augmentation aug = Augmentation.parse("rotate=30,scale=0.1,jitter=0.1");
        assertThat(aug.apply(window(), new Random(9)).x()).containsExactly(aug.apply(window(), new Random(9)).x());
    }

    @Test
    void specRoundTripsAndNoneIsOff() {
        for (String spec : new String[] {"rotate=30,scale=0.1", "rotate-long=180,flip,jitter=0.05", "rotate-screen=45",
                "rotate=30,stretch=0.1"}) {
            assertThat(Augmentation.parse(spec).spec()).isEqualTo(spec);
        }
        assertThat(Augmentation.parse("none").enabled()).isFalse();
        assertThat(Augmentation.NONE.spec()).isEqualTo("none");
    }

    @Test
    void badSpecsAreExplained() {
        assertThatThrownBy(() -> Augmentation.parse("twist=3")).hasMessageContaining("unknown augmentation 'twist'");
        assertThatThrownBy(() -> Augmentation.parse("scale")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Augmentation.parse("rotate=abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Augmentation.parse("rotate=270")).hasMessageContaining("[0, 180]");
        assertThatThrownBy(() -> Augmentation.parse("stretch=1.5")).hasMessageContaining("stretch must be in [0, 1)");
    }
}
