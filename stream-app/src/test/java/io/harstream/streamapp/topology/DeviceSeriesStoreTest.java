package io.harstream.streamapp.topology;

import io.harstream.core.data.Sample;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.SeriesBuffer;
import io.harstream.core.window.WindowSpec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DeviceSeriesStore} over a real (in-memory, unlogged) store: what reaches the store below and when (at a
 * flush, or when a series leaves the cache), that state written as bytes before the cache existed reads back, and
 * that a reset forgets what was cached.
 */
class DeviceSeriesStoreTest {

    private static final long T0 = 1_764_000_000_000L;

    private final Segmenter segmenter = new Segmenter(new WindowSpec(10, 5, 1000), List.of("Walking", "Sitting"));
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private KeyValueStore<String, byte[]> below;
    private DeviceSeriesStore store;

    @BeforeEach
    void open() {
        start(2);
    }

    private void start(int maxCached) {
        below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("device-windows"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store = new DeviceSeriesStore(below, maxCached);
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Offers {@code n} samples to the device's series through the store, as the windower does. */
    private SeriesBuffer offer(String device, int n, long from) {
        SeriesBuffer series = store.get(device);
        if (series == null) {
            series = segmenter.newBuffer();
        }
        for (int i = 0; i < n; i++) {
            segmenter.offer(series, new Sample(from + 50L * i, i, 9.8f, -i, "Walking"));
            store.changed(device, series);
        }
        return series;
    }

    @Test
    void aChangedSeriesReachesTheStoreBelowAtTheFlushAsTheSameBytes() {
        SeriesBuffer series = offer("d1", 7, T0);
        assertThat(below.get("d1")).as("nothing written before the flush").isNull();

        store.flushCache();
        assertThat(below.get("d1")).isEqualTo(series.toBytes());

        offer("d1", 3, T0 + 350);
        assertThat(below.get("d1")).as("the store keeps the flushed series until the next flush")
                .isNotEqualTo(series.toBytes());
        store.flush();
        assertThat(below.get("d1")).isEqualTo(series.toBytes());
    }

    @Test
    void aChangedSeriesLeavingTheCacheIsWrittenFirst() {
        SeriesBuffer d1 = offer("d1", 4, T0);
        offer("d2", 4, T0);
        offer("d3", 4, T0); // three devices, room for two: d1, the least recently used, goes below
        assertThat(below.get("d1")).isEqualTo(d1.toBytes());
        assertThat(below.get("d2")).isNull();

        SeriesBuffer again = store.get("d1");
        assertThat(again).as("read back from its bytes").isNotSameAs(d1);
        assertThat(again.toBytes()).isEqualTo(d1.toBytes());
    }

    @Test
    void readsStateWrittenAsBytesBeforeTheCacheExisted() {
        SeriesBuffer written = segmenter.newBuffer();
        for (int i = 0; i < 12; i++) {
            segmenter.offer(written, new Sample(T0 + 50L * i, i, 1, 2, i % 2 == 0 ? "Walking" : "Sitting"));
        }
        below.put("old", written.toBytes());

        SeriesBuffer read = store.get("old");
        assertThat(read.toBytes()).isEqualTo(written.toBytes());
        assertThat(read.seen()).isEqualTo(12);
        store.flushCache();
        assertThat(below.get("old")).as("an unchanged series is not rewritten").isEqualTo(written.toBytes());
    }

    @Test
    void aResetForgetsTheCachedSeriesAndReadsTheStoreBelowAgain() {
        offer("d1", 5, T0);
        store.flushCache();
        byte[] committed = below.get("d1");
        offer("d1", 2, T0 + 250); // changed after the last flush: as if in a transaction that is then aborted

        store.reset();
        assertThat(store.get("d1").toBytes()).isEqualTo(committed);
        store.flushCache();
        assertThat(below.get("d1")).isEqualTo(committed);
    }
}
