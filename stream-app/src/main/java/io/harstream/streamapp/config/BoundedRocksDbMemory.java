package io.harstream.streamapp.config;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Bounds the native memory of every RocksDB store in the JVM together, the way Kafka Streams' memory
 * management guide does: one block cache shared by all stores, index and filter blocks counted in it, and the
 * memtables charged to it by one write buffer manager. Without it each store of each task (four stores, a task
 * per input partition, twice with a standby copy) gets RocksDB's own defaults: a 50 MiB block cache and up to
 * three 16 MiB memtables, several hundred MiB at a few tasks, none of which the app's state needs (a device's
 * state is about 5 KiB).
 *
 * <p>The cache and the write buffer manager are shared by every store in the JVM for its lifetime, so
 * {@link #close} leaves them open.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Block cache and memtables of all stores together. */
    public static final long TOTAL_BYTES = 64L * 1024 * 1024;
    /** Of which memtables at most. */
    public static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final long MEMTABLE_SIZE = 4L * 1024 * 1024;

    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: not closed with one of them.
    }
}
