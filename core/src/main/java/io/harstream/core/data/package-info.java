/**
 * Recordings as harstream reads them: the activity labels of the two WISDM datasets
 * ({@link io.harstream.core.data.Activities}), the readers of their raw files
 * ({@link io.harstream.core.data.WisdmV1Reader}, {@link io.harstream.core.data.Wisdm2019Reader}, which share one record
 * parser), the resampling of blocks recorded off the nominal 20 Hz ({@link io.harstream.core.data.Resampler}), and
 * what the readers produce: {@link io.harstream.core.data.Sample}s in {@link io.harstream.core.data.Recording}s in a
 * {@link io.harstream.core.data.Dataset}, with a {@link io.harstream.core.data.SkipReport} of what was passed over.
 *
 * <p>Contracts: the class order is fixed here, never taken from a file: it is the order of the network's outputs and
 * is recorded in the bundle. A recording is a series boundary: no window spans two. A reader never stops at a
 * malformed line; it counts it under a reason (the same reason in either dataset) and goes on. I/O failures are
 * checked {@link java.io.IOException}s whose message starts with the path, printable as they are. The trainer writes
 * its test set in the v1.1 line format and the simulator reads it back with {@code WisdmV1Reader}, bit for bit, so
 * the replayed windows are the trainer's. {@link io.harstream.core.data.DatasetFingerprint} hashes the samples, not
 * the file, so the bundle's fingerprint does not depend on compression or source. The readers keep no state between
 * calls and the records are immutable; a {@code SkipReport} is filled by one reader and is not thread-safe.
 *
 * <p>More: docs/trainer.md#data (the sources, their quirks, resampling) and docs/design.md#data.
 */
package io.harstream.core.data;
