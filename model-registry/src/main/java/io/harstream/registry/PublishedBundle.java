package io.harstream.registry;

import io.harstream.core.model.BundleManifest;

import java.time.Instant;
import java.util.Map;

/**
 * A {@code bundle/<version>} record as a listing shows it.
 *
 * @param version     the version its key names
 * @param manifest    its verified manifest, or null when the record is refused ({@code problem} says why)
 * @param checksums   the archive header's SHA-256 per file (empty when refused)
 * @param publishedAt the record's timestamp
 * @param bytes       the archive's size
 * @param problem     why the archive is refused, or null
 */
public record PublishedBundle(String version, BundleManifest manifest, Map<String, String> checksums,
                              Instant publishedAt, int bytes, String problem) {
}
