package io.harstream.streamapp.topology;

import io.harstream.core.window.SeriesBuffer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code device-windows} store with the devices' {@link SeriesBuffer}s kept as objects in front of it: the
 * windower changes a device's series in place on every event, and the series is turned into bytes and written to
 * the store below (RocksDB and its changelog) only when Kafka Streams flushes the task's stores, which it does
 * before every commit, or when the series leaves this cache.
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
 *
 * <p>The bytes in the store are {@link SeriesBuffer#toBytes()}, as before this cache existed: state written by an
 * app without it reads back unchanged.
 */
final class DeviceSeriesStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {

    /** A cached series and whether it changed since it was last written below. */
    private static final class Entry {
        final SeriesBuffer series;
        boolean changed;

        Entry(SeriesBuffer series, boolean changed) {
            this.series = series;
            this.changed = changed;
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
                    wrapped().put(eldest.getKey(), eldest.getValue().series.toBytes());
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
        byte[] stored = wrapped().get(device);
        if (stored == null) {
            return null;
        }
        SeriesBuffer series = SeriesBuffer.fromBytes(stored);
        cache.put(device, new Entry(series, false));
        return series;
    }

    /** The device's series changed (or is new): it is written below at the next flush. */
    void changed(String device, SeriesBuffer series) {
        Entry e = cache.get(device);
        if (e != null && e.series == series) {
            e.changed = true;
        } else {
            cache.put(device, new Entry(series, true));
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
        for (Iterator<Map.Entry<String, Entry>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().changed) {
                wrapped().put(e.getKey(), e.getValue().series.toBytes());
                e.getValue().changed = false;
            }
        }
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
