package io.harstream.streamapp.topology;

import io.harstream.core.data.Sample;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.SeriesBuffer;
import io.harstream.core.window.WindowSpec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DeviceSeriesStore} over a real (in-memory, unlogged) store: what reaches the store below and when (at a
 * flush, or when a series leaves the cache), that only the chunks new samples changed are written and the ones
 * that left the window deleted, that state written whole by an app before the chunked layout reads back and is
 * migrated by the next write, and that a reset forgets what was cached.
 */
class DeviceSeriesStoreTest {

    private static final long T0 = 1_764_000_000_000L;
    /** Window 60: a series spans three or four chunks of 20. */
    private final Segmenter segmenter = new Segmenter(new WindowSpec(60, 20, 1000), List.of("Walking", "Sitting"));
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private KeyValueStore<String, byte[]> below;
    private DeviceSeriesStore store;

    @BeforeEach
    void open() {
        below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("device-windows"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        start(2);
    }

    /** A new series store (an empty cache) over the same store below. */
    private void start(int maxCached) {
        store = new DeviceSeriesStore(below, maxCached);
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Offers {@code n} samples 50 ms apart to the device's series through the store, as the windower does. */
    private SeriesBuffer offer(String device, int n, long from) {
        SeriesBuffer series = store.get(device);
        if (series == null) {
            series = segmenter.newBuffer();
        }
        for (int i = 0; i < n; i++) {
            segmenter.offer(series, new Sample(from + 50L * i, i, 9.8f, -i, i % 3 == 0 ? "Sitting" : "Walking"));
            store.changed(device, series);
        }
        return series;
    }

    /** The series as a fresh cache reads it from the store below. */
    private SeriesBuffer readBack(String device) {
        return new DeviceSeriesStore(below, 2).get(device);
    }

    private TreeMap<String, byte[]> contents() {
        TreeMap<String, byte[]> all = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> it = below.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                all.put(kv.key, kv.value);
            }
        }
        return all;
    }

    @Test
    void aChangedSeriesReachesTheStoreBelowAtTheFlushAndReadsBackTheSame() {
        SeriesBuffer series = offer("d1", 7, T0);
        assertThat(contents()).as("nothing written before the flush").isEmpty();

        store.flushCache();
        assertThat(contents().keySet()).containsExactly("d1\u0000", "d1\u00000");
        assertThat(readBack("d1").toBytes()).isEqualTo(series.toBytes());

        offer("d1", 30, T0 + 350);
        assertThat(readBack("d1").seen()).as("the store keeps the flushed series until the next flush").isEqualTo(7);
        store.flush();
        assertThat(readBack("d1").toBytes()).isEqualTo(series.toBytes());
        assertThat(readBack("d1").seen()).isEqualTo(37);
    }

    @Test
    void aFlushWritesOnlyTheChunksNewSamplesChangedAndDeletesTheOnesThatLeftTheWindow() {
        SeriesBuffer series = offer("d1", 75, T0); // samples 0-74 in chunks 0-3; the window keeps 15-74
        store.flushCache();
        assertThat(contents().keySet()).containsExactly("d1\u0000", "d1\u00000", "d1\u00001", "d1\u00002", "d1\u00003");
        byte[] chunk1 = contents().get("d1\u00001");
        byte[] chunk3 = contents().get("d1\u00003");

        offer("d1", 10, T0 + 75 * 50); // samples 75-84: the window now keeps 25-84, chunks 1-4
        store.flushCache();
        TreeMap<String, byte[]> after = contents();
        assertThat(after.keySet()).as("chunk 0 left the window").containsExactly("d1\u0000", "d1\u00001",
                "d1\u00002", "d1\u00003", "d1\u00004");
        assertThat(after.get("d1\u00001")).as("an unchanged chunk is not rewritten").isSameAs(chunk1);
        assertThat(after.get("d1\u00003")).as("the chunk the last write ended in grew").isNotEqualTo(chunk3);
        assertThat(readBack("d1").toBytes()).isEqualTo(series.toBytes());
    }

    @Test
    void aRestartedSeriesDeletesItsOldChunks() {
        offer("d1", 75, T0);
        store.flushCache();
        SeriesBuffer series = offer("d1", 5, T0 + 3_600_000); // an hour later: the series starts again at 0
        assertThat(series.seen()).isEqualTo(5);
        store.flushCache();
        assertThat(contents().keySet()).containsExactly("d1\u0000", "d1\u00000");
        assertThat(readBack("d1").toBytes()).isEqualTo(series.toBytes());
    }

    @Test
    void aChangedSeriesLeavingTheCacheIsWrittenFirst() {
        SeriesBuffer d1 = offer("d1", 4, T0);
        offer("d2", 4, T0);
        offer("d3", 4, T0); // three devices, room for two: d1, the least recently used, goes below
        assertThat(readBack("d1").toBytes()).isEqualTo(d1.toBytes());
        assertThat(readBack("d2")).isNull();

        SeriesBuffer again = store.get("d1");
        assertThat(again).as("read back from the store below").isNotSameAs(d1);
        assertThat(again.toBytes()).isEqualTo(d1.toBytes());
    }

    @Test
    void aWholeSeriesWrittenBeforeTheChunkedLayoutReadsBackAndTheNextWriteMigratesIt() {
        SeriesBuffer written = segmenter.newBuffer();
        for (int i = 0; i < 70; i++) {
            segmenter.offer(written, new Sample(T0 + 50L * i, i, 1, 2, i % 2 == 0 ? "Walking" : "Sitting"));
        }
        below.put("old", written.toBytes());

        SeriesBuffer read = store.get("old");
        assertThat(read.toBytes()).isEqualTo(written.toBytes());
        assertThat(read.seen()).isEqualTo(70);
        store.flushCache();
        assertThat(below.get("old")).as("an unchanged series is not rewritten").isEqualTo(written.toBytes());

        SeriesBuffer series = offer("old", 1, T0 + 70 * 50);
        store.flushCache();
        assertThat(below.get("old")).as("the whole value is replaced").isNull();
        assertThat(contents().keySet()).containsExactly("old\u0000", "old\u00000", "old\u00001", "old\u00002",
                "old\u00003");
        assertThat(readBack("old").toBytes()).isEqualTo(series.toBytes());
    }

    @Test
    void aMissingChunkIsRefusedWithWhatToDo() {
        offer("d1", 45, T0);
        store.flushCache();
        below.delete("d1\u00001");
        assertThatThrownBy(() -> readBack("d1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chunk 1 of device d1's series is missing")
                .hasMessageContaining("reset the app's state");
    }

    @Test
    void aDeviceIdThatLooksLikeAnotherDevicesKeyReadsNothingOfIt() {
        offer("d1", 45, T0);
        store.flushCache();
        start(2);
        assertThat(store.get("d1\u00001")).as("a chunk is not a whole series").isNull();
        assertThat(store.get("d1\u0000")).as("a header is not a whole series").isNull();
    }

    @Test
    void aResetForgetsTheCachedSeriesAndReadsTheStoreBelowAgain() {
        offer("d1", 5, T0);
        store.flushCache();
        byte[] committed = readBack("d1").toBytes();
        offer("d1", 2, T0 + 250); // changed after the last flush: as if in a transaction that is then aborted

        store.reset();
        assertThat(store.get("d1").toBytes()).isEqualTo(committed);
        store.flushCache();
        assertThat(readBack("d1").toBytes()).isEqualTo(committed);
    }
}
