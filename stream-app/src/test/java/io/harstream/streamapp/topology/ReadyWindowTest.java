package io.harstream.streamapp.topology;

import io.harstream.core.window.Window;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyWindowTest {

    @Test
    void roundTripsThroughItsStoreBytes() {
        Window w = new Window(1_764_000_000_000L, 1_764_000_000_450L, new float[] {1, -2.5f, Float.MIN_VALUE},
                new float[] {9.8f, 0, -0f}, new float[] {3, 4, 5}, 2);
        ReadyWindow r = new ReadyWindow("phone-ü", w, 1_764_000_001_000L);
        ReadyWindow back = ReadyWindow.fromBytes(r.toBytes());
        assertThat(back.device()).isEqualTo("phone-ü");
        assertThat(back.recordTimestamp()).isEqualTo(1_764_000_001_000L);
        assertThat(back.window().startTs()).isEqualTo(w.startTs());
        assertThat(back.window().endTs()).isEqualTo(w.endTs());
        assertThat(back.window().label()).isEqualTo(2);
        assertThat(back.window().x()).isEqualTo(w.x());
        assertThat(back.window().y()).isEqualTo(w.y());
        assertThat(back.window().z()).isEqualTo(w.z());
    }

    @Test
    void storeKeysKeepADevicesWindowsTogetherAndInTimeOrder() {
        byte[][] keys = {
            ReadyWindow.storeKey("ab", 2_000), ReadyWindow.storeKey("a", 5_000), ReadyWindow.storeKey("ab", 1_000),
            ReadyWindow.storeKey("a", 1_000)};
        Arrays.sort(keys, Arrays::compareUnsigned);
        assertThat(Arrays.asList(keys)).containsExactly(ReadyWindow.storeKey("a", 1_000),
                ReadyWindow.storeKey("a", 5_000), ReadyWindow.storeKey("ab", 1_000), ReadyWindow.storeKey("ab", 2_000));
    }
}
