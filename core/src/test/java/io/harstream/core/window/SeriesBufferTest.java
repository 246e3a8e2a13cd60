package io.harstream.core.window;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesBufferTest {

    @Test
    void roundTripsAfterWrappingAround() {
        SeriesBuffer b = new SeriesBuffer(4);
        for (int i = 0; i < 7; i++) {
            b.append(100 + i, i, 2 * i, 3 * i, i % 2);
        }
        SeriesBuffer c = SeriesBuffer.fromBytes(b.toBytes());
        assertThat(c.seen()).isEqualTo(7);
        assertThat(c.lastTimestamp()).isEqualTo(106);
        assertThat(c.toBytes()).isEqualTo(b.toBytes());
        assertThat(c.isSameAsLast(106, 6, 12, 18)).isTrue();
    }

    @Test
    void emptyBufferRoundTrips() {
        SeriesBuffer c = SeriesBuffer.fromBytes(new SeriesBuffer(200).toBytes());
        assertThat(c.isEmpty()).isTrue();
        assertThat(c.capacity()).isEqualTo(200);
    }

    @Test
    void unknownFormatIsRefused() {
        byte[] bytes = new SeriesBuffer(2).toBytes();
        bytes[0] = 9;
        assertThatThrownBy(() -> SeriesBuffer.fromBytes(bytes)).hasMessageContaining("format");
    }
}
