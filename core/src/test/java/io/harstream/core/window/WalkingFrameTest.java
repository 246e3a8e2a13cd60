package io.harstream.core.window;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WalkingFrameTest {

    private static final double G = 9.81;
    private static final int N = 200;

    /** Gravity along the unit direction d, bouncing by 40 % along it as a stride does: |a| sd about 2.8. */
    private static Window walking(double[] d, int label) {
        float[][] a = new float[3][N];
        for (int t = 0; t < N; t++) {
            double s = G * (1 + 0.4 * Math.sin(2 * Math.PI * t / 10.0));
            for (int k = 0; k < 3; k++) {
                a[k][t] = (float) (d[k] * s);
            }
        }
        return new Window(0, N - 1, a[0], a[1], a[2], label);
    }

    /** Gravity along d, still but for a little sway. */
    private static Window still(double[] d, int label) {
        Random r = new Random(7);
        float[][] a = new float[3][N];
        for (int t = 0; t < N; t++) {
            for (int k = 0; k < 3; k++) {
                a[k][t] = (float) (d[k] * G + 0.05 * r.nextGaussian());
            }
        }
        return new Window(0, N - 1, a[0], a[1], a[2], label);
    }

    private static double[] mean(Window w) {
        double[] m = new double[3];
        for (int t = 0; t < w.length(); t++) {
            m[0] += w.x()[t] / w.length();
            m[1] += w.y()[t] / w.length();
            m[2] += w.z()[t] / w.length();
        }
        return m;
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    @Test
    void turnsAnyDirectionOntoPlusYWithAProperRotation() {
        Random r = new Random(1);
        List<double[]> directions = new ArrayList<>(List.of(unit(1, 0, 0), unit(0, 1, 0), unit(0, -1, 0),
                unit(0, -1, 1e-12), unit(0, 0, -1)));
        for (int i = 0; i < 50; i++) {
            directions.add(unit(r.nextGaussian(), r.nextGaussian(), r.nextGaussian()));
        }
        for (double[] d : directions) {
            double[] m = WalkingFrame.toUpright(d[0] * 3, d[1] * 3, d[2] * 3);
            assertThat(m[0] * d[0] + m[1] * d[1] + m[2] * d[2]).as("x of %s", d).isCloseTo(0, within(1e-6));
            assertThat(m[3] * d[0] + m[4] * d[1] + m[5] * d[2]).isCloseTo(1, within(1e-6));
            assertThat(m[6] * d[0] + m[7] * d[1] + m[8] * d[2]).isCloseTo(0, within(1e-6));
            // rows orthonormal and a right-handed frame: a rotation, not a mirror
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double dot = m[i * 3] * m[j * 3] + m[i * 3 + 1] * m[j * 3 + 1] + m[i * 3 + 2] * m[j * 3 + 2];
                    assertThat(dot).isCloseTo(i == j ? 1 : 0, within(1e-9));
                }
            }
            double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                    + m[2] * (m[3] * m[7] - m[4] * m[6]);
            assertThat(det).isCloseTo(1, within(1e-9));
        }
        assertThat(WalkingFrame.toUpright(0, 0, 0)).isNull();
    }

    @Test
    void aSidewaysPhoneStandsAlongYAndSitsAcrossIt() {
        // On its side in the pocket: walking and standing read gravity along -x, sitting along +z.
        WalkingFrame frame = new WalkingFrame();
        Window firstStill = still(unit(-1, 0, 0), 4);
        assertThat(frame.turn(firstStill)).as("nothing to turn by before the device moved").isSameAs(firstStill);
        for (int i = 0; i < 5; i++) {
            frame.turn(walking(unit(-1, 0, 0), 0));
        }
        assertThat(frame.movingWindows()).isEqualTo(5);

        Window standing = frame.turn(still(unit(-1, 0, 0), 4));
        double[] m = mean(standing);
        assertThat(m[1]).isCloseTo(G, within(0.02));
        assertThat(Math.hypot(m[0], m[2])).isLessThan(0.02);
        assertThat(standing.label()).isEqualTo(4);
        assertThat(frame.movingWindows()).as("standing still does not move the reference").isEqualTo(5);

        double[] sitting = mean(frame.turn(still(unit(0, 0, 1), 3)));
        assertThat(Math.abs(sitting[1])).as("sitting: gravity across the walking upright").isLessThan(0.02);
        assertThat(Math.hypot(sitting[0], sitting[2])).isCloseTo(G, within(0.02));
    }

    @Test
    void anUprightPhoneIsLeftAsItIs() {
        WalkingFrame frame = new WalkingFrame();
        frame.turn(walking(unit(0, 1, 0), 0));
        Window w = still(unit(0.3, 0.9, 0.1), 4);
        Window turned = frame.turn(w);
        for (int t = 0; t < N; t += 17) {
            assertThat(turned.x()[t]).isCloseTo(w.x()[t], within(1e-5f));
            assertThat(turned.y()[t]).isCloseTo(w.y()[t], within(1e-5f));
            assertThat(turned.z()[t]).isCloseTo(w.z()[t], within(1e-5f));
        }
        assertThat(turned.startTs()).isEqualTo(w.startTs());
        assertThat(turned.endTs()).isEqualTo(w.endTs());
    }

    @Test
    void followsAPhonePutBackAnotherWay() {
        WalkingFrame frame = new WalkingFrame();
        for (int i = 0; i < 300; i++) {
            frame.turn(walking(unit(0, -1, 0), 0));
        }
        for (int i = 0; i < 3 * WalkingFrame.HORIZON; i++) {
            frame.turn(walking(unit(1, 0, 0), 0));
        }
        double[] standing = mean(frame.turn(still(unit(1, 0, 0), 4)));
        assertThat(standing[1] / G).as("within a few degrees of upright again").isGreaterThan(0.99);
    }

    @Test
    void resumesExactlyFromItsBinaryForm() {
        WalkingFrame continuous = new WalkingFrame();
        WalkingFrame stored = new WalkingFrame();
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            double[] d = unit(r.nextGaussian(), r.nextGaussian() - 2, r.nextGaussian());
            Window w = i % 3 == 0 ? still(d, 3) : walking(d, 0);
            Window a = continuous.turn(w);
            Window b = stored.turn(w);
            stored = WalkingFrame.fromBytes(stored.toBytes());
            assertThat(b.x()).containsExactly(a.x());
            assertThat(b.y()).containsExactly(a.y());
            assertThat(b.z()).containsExactly(a.z());
        }
        assertThat(stored.toBytes()).isEqualTo(continuous.toBytes());
        byte[] bad = continuous.toBytes();
        bad[0] = 9;
        assertThatThrownBy(() -> WalkingFrame.fromBytes(bad)).hasMessageContaining("unknown walking frame format 9");
    }

    @Test
    void theFrameTurnsADevicesWindowsInOrder() {
        List<Window> windows = List.of(still(unit(-1, 0, 0), 4), walking(unit(-1, 0, 0), 0), still(unit(-1, 0, 0), 4));
        UnaryOperator<Window> phone = AxesFrame.PHONE.forDevice();
        windows.forEach(w -> assertThat(phone.apply(w)).isSameAs(w));
        UnaryOperator<Window> walking = AxesFrame.WALKING.forDevice();
        List<Window> turned = windows.stream().map(walking).toList();
        assertThat(turned.get(0)).as("before the first step: as recorded").isSameAs(windows.get(0));
        assertThat(mean(turned.get(2))[1]).isCloseTo(G, within(0.02));
        assertThat(AxesFrame.fromId(" Walking ")).isEqualTo(AxesFrame.WALKING);
        assertThatThrownBy(() -> AxesFrame.fromId("pocket")).hasMessageContaining("known: phone, walking");
    }
}
