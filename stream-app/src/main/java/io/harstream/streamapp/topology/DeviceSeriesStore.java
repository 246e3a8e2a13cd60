package io.harstream.streamapp.topology;

import io.harstream.core.window.SeriesBuffer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code device-windows} store with the devices' {@link SeriesBuffer}s kept as objects in front of it: the
 * windower changes a device's series in place on every event, and the series is written to the store below
 * (RocksDB and its changelog) only when Kafka Streams flushes the task's stores, which it does before every
 * commit, or when the series leaves this cache.
 *
 * <p><b>Layout below: a header and chunks.</b> A device's series is stored as a header under
 * {@code device + "\0"} ({@link SeriesBuffer#headerBytes()}: capacity, samples seen) and its samples in chunks of
 * {@link #CHUNK_SAMPLES} by their index in the series, chunk {@code k} under {@code device + "\0" + k}. A flush
 * writes the header, the chunks that new samples changed (at 20 Hz and a 100 ms commit interval, one chunk of
 * a few hundred bytes, where the whole series is 4.4 KiB at window 200) and tombstones for the chunks that fell
 * out of the window; a restarted series (after a gap) deletes its old chunks and writes the new ones. The keys
 * are unambiguous: a device id never ends in a NUL plus digits when read back from the last NUL, and a
 * whole-series value is told apart by its format byte.
 *
 * <p><b>Migration</b>: state written by an app before this layout holds each series whole under the device id
 * ({@link SeriesBuffer#toBytes()}). It is read as it is, and the first write of that device replaces it with the
 * header and chunks (deleting the whole value), so old state is migrated device by device as devices send.
 *
 * <p><b>Why the committed state is exactly what an uncached store would hold</b>: under {@code exactly_once_v2} a
 * task commits by flushing its stores' caches ({@link #flushCache}), then the producer, then committing the
 * transaction with the input offsets. Every series changed since the last flush is written to the store below in
 * that flush, so the changelog inside each transaction ends with every changed device's series as it was after the
 * transaction's last event, as if each event had written it. What a transaction that is aborted wrote never counts:
 * Kafka Streams then closes the task's stores (and wipes and restores them from the changelog), and {@link #init}
 * and {@link #close} drop every cached object with them. A task that starts processing (also a standby copy that
 * becomes active, whose store was kept current from the changelog underneath this cache) calls {@link #reset}
 * first, so no object from before survives into it.
 *
 * <p>The cache holds at most {@code maxCached} series, least recently used out first (written below first if
 * changed). It is per task: a task runs on one stream thread at a time, so nothing here is synchronized.
 */
final class DeviceSeriesStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {

    /** Samples per chunk of the layout below. */
    static final int CHUNK_SAMPLES = 20;

    /** A cached series, whether it changed since it was last written below, and what is below. */
    private static final class Entry {
        final SeriesBuffer series;
        boolean changed;
        /** Samples seen when the series was last written below or read from it; -1: nothing below in chunks. */
        long writtenSeen;
        /** The series' restart count at that moment. */
        long writtenRestarts;
        /** Read from a whole-series value under the device id, which the next write replaces. */
        boolean whole;

        Entry(SeriesBuffer series, boolean changed, long writtenSeen, boolean whole) {
            this.series = series;
            this.changed = changed;
            this.writtenSeen = writtenSeen;
            this.writtenRestarts = series.restarts();
            this.whole = whole;
        }
    }

    private final Map<String, Entry> cache;

    DeviceSeriesStore(KeyValueStore<String, byte[]> inner, int maxCached) {
        super(inner);
        if (maxCached < 1) {
            throw new IllegalArgumentException("the series cache must hold at least one device, got " + maxCached);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() <= maxCached) {
                    return false;
                }
                if (eldest.getValue().changed) {
                    write(eldest.getKey(), eldest.getValue());
                }
                return true;
            }
        };
    }

    /**
     * The device's series, or null when the store has none. The object is the cached one: change it in place and
     * call {@link #changed} (before the next event of any device) so that it is written.
     */
    SeriesBuffer get(String device) {
        Entry e = cache.get(device);
        if (e != null) {
            return e.series;
        }
        byte[] header = wrapped().get(headerKey(device));
        if (header != null) {
            SeriesBuffer.Header h = SeriesBuffer.header(header);
            List<byte[]> chunks = new ArrayList<>();
            for (long k = firstChunk(h.seen(), h.capacity()); k <= lastChunk(h.seen()); k++) {
                byte[] chunk = wrapped().get(chunkKey(device, k));
                if (chunk == null) {
                    throw new IllegalStateException("device-windows: chunk " + k + " of device " + device + "'s series "
                            + "is missing (" + h.seen() + " samples seen); the store is damaged: reset the app's state "
                            + "(docs/operations.md#reset-state)");
                }
                chunks.add(chunk);
            }
            SeriesBuffer series = SeriesBuffer.fromChunks(h, chunks);
            cache.put(device, new Entry(series, false, h.seen(), false));
            return series;
        }
        byte[] whole = wrapped().get(device);
        if (whole == null || !SeriesBuffer.isWhole(whole)) {
            return null;
        }
        SeriesBuffer series = SeriesBuffer.fromBytes(whole);
        cache.put(device, new Entry(series, false, -1, true));
        return series;
    }

    /** The device's series changed (or is new): it is written below at the next flush. */
    void changed(String device, SeriesBuffer series) {
        Entry e = cache.get(device);
        if (e != null && e.series == series) {
            e.changed = true;
        } else {
            cache.put(device, new Entry(series, true, -1, false));
        }
    }

    /** Drops every cached series; called when a task starts processing, before the first event. */
    void reset() {
        cache.clear();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        cache.clear();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        writeChanged();
        super.flushCache();
    }

    @Override
    public void flush() {
        writeChanged();
        super.flush();
    }

    @Override
    public void close() {
        cache.clear();
        super.close();
    }

    private void writeChanged() {
        for (Map.Entry<String, Entry> e : cache.entrySet()) {
            if (e.getValue().changed) {
                write(e.getKey(), e.getValue());
            }
        }
    }

    /** Writes what changed of one series below: the chunks new samples touched, tombstones, the header. */
    private void write(String device, Entry e) {
        SeriesBuffer s = e.series;
        long seen = s.seen();
        long first = firstChunk(seen, s.capacity());
        long last = lastChunk(seen);
        long from = first;
        if (e.whole) {
            wrapped().delete(device);
        } else if (e.writtenSeen >= 0) {
            long oldFirst = firstChunk(e.writtenSeen, s.capacity());
            long oldLast = lastChunk(e.writtenSeen);
            boolean restarted = s.restarts() != e.writtenRestarts || seen < e.writtenSeen;
            // Chunks that left the window, or every old one after a restart (indexes began again at 0).
            for (long k = oldFirst; k <= (restarted ? oldLast : Math.min(oldLast, first - 1)); k++) {
                if (restarted && k >= first && k <= last) {
                    continue; // rewritten below
                }
                wrapped().delete(chunkKey(device, k));
            }
            if (!restarted) {
                // The chunk the last write ended in may have grown; those before it are unchanged.
                from = Math.max(first, e.writtenSeen / CHUNK_SAMPLES);
            }
        }
        for (long k = from; k <= last; k++) {
            long start = Math.max(k * CHUNK_SAMPLES, s.oldestIndex());
            long end = Math.min((k + 1) * CHUNK_SAMPLES, seen);
            wrapped().put(chunkKey(device, k), s.chunkBytes(start, end));
        }
        wrapped().put(headerKey(device), s.headerBytes());
        e.changed = false;
        e.whole = false;
        e.writtenSeen = seen;
        e.writtenRestarts = s.restarts();
    }

    static String headerKey(String device) {
        return device + '\u0000';
    }

    static String chunkKey(String device, long chunk) {
        return device + '\u0000' + chunk;
    }

    /** The chunk of the oldest sample a series of {@code seen} samples keeps. */
    private static long firstChunk(long seen, int capacity) {
        return (seen - Math.min(seen, capacity)) / CHUNK_SAMPLES;
    }

    /** The chunk of the newest sample; -1 (an empty range) for an empty series. */
    private static long lastChunk(long seen) {
        return seen == 0 ? -1 : (seen - 1) / CHUNK_SAMPLES;
    }

    /** The {@link DeviceSeriesStore} a processor's context hands out for {@code name}, under Streams' decorators. */
    static DeviceSeriesStore of(StateStore store) {
        StateStore s = store;
        while (!(s instanceof DeviceSeriesStore) && s instanceof WrappedStateStore<?, ?, ?> w) {
            s = w.wrapped();
        }
        if (s instanceof DeviceSeriesStore d) {
            return d;
        }
        throw new IllegalStateException("store " + store.name() + " is not a device series store: "
                + store.getClass().getName());
    }

    /** Builds one {@link DeviceSeriesStore} per task around the store {@code inner} builds. */
    static StoreBuilder<DeviceSeriesStore> builder(StoreBuilder<KeyValueStore<String, byte[]>> inner, int maxCached) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<DeviceSeriesStore> withCachingEnabled() {
                inner.withCachingEnabled();
                return this;
            }

            @Override
            public StoreBuilder<DeviceSeriesStore> withCachingDisabled() {
                inner.withCachingDisabled();
                return this;
            }

            @Override
            public StoreBuilder<DeviceSeriesStore> withLoggingEnabled(Map<String, String> config) {
                inner.withLoggingEnabled(config);
                return this;
            }

            @Override
            public StoreBuilder<DeviceSeriesStore> withLoggingDisabled() {
                inner.withLoggingDisabled();
                return this;
            }

            @Override
            public DeviceSeriesStore build() {
                return new DeviceSeriesStore(inner.build(), maxCached);
            }

            @Override
            public Map<String, String> logConfig() {
                return inner.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return inner.loggingEnabled();
            }

            @Override
            public String name() {
                return inner.name();
            }
        };
    }
}
