package io.harstream.core.window;

import org.junit.jupiter.api.Test;

import java.util.List;

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

    @Test
    void theChunkedFormRoundTripsSkippingSamplesOlderThanTheRing() {
        SeriesBuffer b = new SeriesBuffer(5);
        for (int i = 0; i < 13; i++) {
            b.append(100 + i, i, 2 * i, 3 * i, i % 2);
        }
        assertThat(b.oldestIndex()).isEqualTo(8);
        // chunks of 4 as a store holds them: chunk 1 (samples 4-7) is gone, chunk 2 was written when 8-11 were held
        List<byte[]> chunks = List.of(b.chunkBytes(8, 12), b.chunkBytes(12, 13));
        SeriesBuffer c = SeriesBuffer.fromChunks(SeriesBuffer.header(b.headerBytes()), chunks);
        assertThat(c.toBytes()).isEqualTo(b.toBytes());
        assertThat(SeriesBuffer.isWhole(b.toBytes())).isTrue();
        assertThat(SeriesBuffer.isWhole(b.headerBytes())).isFalse();
        assertThat(SeriesBuffer.isWhole(chunks.get(0))).isFalse();
    }

    @Test
    void aChunkedFormWithASampleMissingIsRefused() {
        SeriesBuffer b = new SeriesBuffer(8);
        for (int i = 0; i < 8; i++) {
            b.append(100 + i, i, 0, 0, 0);
        }
        SeriesBuffer.Header h = SeriesBuffer.header(b.headerBytes());
        assertThatThrownBy(() -> SeriesBuffer.fromChunks(h, List.of(b.chunkBytes(0, 3), b.chunkBytes(4, 8))))
                .hasMessageContaining("does not follow sample 2");
        assertThatThrownBy(() -> SeriesBuffer.fromChunks(h, List.of(b.chunkBytes(0, 6))))
                .hasMessageContaining("end at sample 6");
        assertThatThrownBy(() -> b.chunkBytes(3, 9)).hasMessageContaining("not all held");
    }
}
