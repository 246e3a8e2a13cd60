package io.harstream.core.model.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.model.BundleException;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.ModelBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model bundle as one byte array, the value of a {@code bundle/<version>} record on the models topic
 * ({@link ModelsTopic}): a zip holding {@value #HEADER_FILE} (the archive's header: {@link #FORMAT_VERSION}, the
 * model version and the SHA-256 of every other entry) and the bundle's files {@code model.json}, {@code model.zip}
 * and, when present, {@code metrics.json}. Report files and the test set stay out: a consumer needs none of them.
 *
 * <p>Whoever can write the models topic decides what the service predicts, so {@link #unpack} treats the bytes as
 * hostile until proven otherwise, and refuses, with one {@link BundleException} line saying why, an archive
 * <ul>
 *   <li>over {@link #MAX_ARCHIVE_BYTES}, or not a zip, or truncated;</li>
 *   <li>with more than {@link #MAX_ENTRIES} entries, an entry name outside the known file names (a path, a
 *       {@code ..}, anything else), or a name twice;</li>
 *   <li>whose entries expand beyond their bounds ({@link #MAX_MODEL_BYTES} for {@code model.zip},
 *       {@link #MAX_JSON_BYTES} for each JSON file, {@link #MAX_EXPANDED_BYTES} together), counted while
 *       inflating, never taken from the zip headers; the same holds one level down, for the entries of
 *       {@code model.zip} itself ({@link #MAX_NETWORK_ENTRIES}, {@link #MAX_NETWORK_EXPANDED_BYTES}), before DL4J
 *       reads it;</li>
 *   <li>of an unknown format version, or whose files' SHA-256 differ from the header's;</li>
 *   <li>holding a bundle that {@link ModelBundle#load} would refuse (the same checks, the same message).</li>
 * </ul>
 * The checksum guards against corruption and against a header and files that do not belong together; it is not a
 * signature (whoever writes the record writes the header too): who may write the topic is the ACLs' business
 * (docs/operations.md, "Models topic and ACLs").
 *
 * <p>{@link #pack} writes entries in a fixed order with a fixed timestamp, so packing the same bundle twice gives
 * the same bytes.
 */
public final class ModelArchive {

    /** The archive layout this class writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The archive's header entry. */
    public static final String HEADER_FILE = "harstream-archive.json";
    /** The trainer's offline figures, carried along when the bundle directory has them. */
    public static final String METRICS_FILE = "metrics.json";
    /** The largest archive accepted: the record size cap ({@link ModelsTopic#MAX_MESSAGE_BYTES} leaves room for it). */
    public static final int MAX_ARCHIVE_BYTES = 8 << 20;
    /** The header and the three bundle files. */
    public static final int MAX_ENTRIES = 4;
    /** The expanded size of {@code model.zip}. */
    public static final long MAX_MODEL_BYTES = MAX_ARCHIVE_BYTES;
    /** The expanded size of each JSON entry. */
    public static final long MAX_JSON_BYTES = 1 << 20;
    /** All entries expanded together. */
    public static final long MAX_EXPANDED_BYTES = MAX_MODEL_BYTES + 3 * MAX_JSON_BYTES;
    /** Entries in {@code model.zip} (DL4J writes configuration.json, coefficients.bin, maybe two more). */
    public static final int MAX_NETWORK_ENTRIES = 8;
    /** {@code model.zip}'s entries expanded together: 64 MiB, 16 M float parameters. */
    public static final long MAX_NETWORK_EXPANDED_BYTES = 64L << 20;

    /** The bundle files an archive may hold, in the order {@link #pack} writes them; the first two are required. */
    static final List<String> BUNDLE_FILES = List.of(ModelBundle.MANIFEST_FILE, ModelBundle.MODEL_FILE, METRICS_FILE);

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    /** Zip entry times are local date-times; a fixed one keeps {@link #pack} reproducible in any time zone. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private ModelArchive() {
    }

    /**
     * The archive's header.
     *
     * @param formatVersion {@link #FORMAT_VERSION} when written
     * @param modelVersion  the bundle's {@code modelVersion}, checked against its manifest on unpacking
     * @param sha256        lower-case hex SHA-256 of each bundle file in the archive, by file name
     */
    public record Header(int formatVersion, String modelVersion, Map<String, String> sha256) {
    }

    /**
     * Packs the bundle in {@code bundleDir} ({@code model.json} and {@code model.zip} required, {@code metrics.json}
     * taken when present, nothing else). Checks presence and size only; {@link #unpack} the result to validate the
     * bundle as a consumer will.
     *
     * @throws BundleException when a required file is missing or unreadable, the manifest has no model version,
     *                         or the archive would exceed a bound
     */
    public static byte[] pack(Path bundleDir) {
        String where = "model bundle " + bundleDir + ": ";
        if (!Files.isDirectory(bundleDir)) {
            throw new BundleException(where + "not a directory");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : BUNDLE_FILES) {
            Path file = bundleDir.resolve(name);
            if (!Files.isRegularFile(file)) {
                if (name.equals(METRICS_FILE)) {
                    continue;
                }
                throw new BundleException(where + name + " is missing");
            }
            try {
                long size = Files.size(file);
                if (size > limit(name)) {
                    throw new BundleException(where + name + " is " + size + " bytes, over the archive's bound of "
                            + limit(name));
                }
                files.put(name, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new BundleException(where + "cannot read " + name + ": " + e.getMessage(), e);
            }
        }
        String modelVersion = ModelBundle.readManifest(files.get(ModelBundle.MANIFEST_FILE), bundleDir.toString())
                .modelVersion();
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new BundleException(where + "model.json has no modelVersion");
        }
        Map<String, String> sums = new TreeMap<>();
        files.forEach((name, bytes) -> sums.put(name, sha256(bytes)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, HEADER_FILE, JSON.writeValueAsBytes(new Header(FORMAT_VERSION, modelVersion, sums)));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(zip, f.getKey(), f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a zip in memory", e);
        }
        byte[] archive = out.toByteArray();
        if (archive.length > MAX_ARCHIVE_BYTES) {
            throw new BundleException(where + "the archive is " + archive.length + " bytes, over the record cap of "
                    + MAX_ARCHIVE_BYTES);
        }
        return archive;
    }

    /**
     * Verifies the archive (every bound, the format version, the checksums) and loads its bundle with
     * {@link ModelBundle#read}, the checks {@link ModelBundle#load} makes at the stream-app's start-up.
     *
     * @throws BundleException with one line saying why, for anything listed in the class comment
     */
    public static ModelBundle unpack(byte[] archive) {
        Verified v = verify(archive);
        return ModelBundle.read(v.files().get(ModelBundle.MANIFEST_FILE), v.files().get(ModelBundle.MODEL_FILE),
                v.where());
    }

    /**
     * As {@link #unpack}, and writes the bundle's files into {@code dir} (created if needed) once the bundle is
     * verified and loaded, e.g. to hand {@code metrics.json} on: a refused archive writes nothing. The returned
     * bundle is the loaded one, the same {@link ModelBundle#load} would read from {@code dir}.
     */
    public static ModelBundle unpackTo(byte[] archive, Path dir) {
        Verified v = verify(archive);
        ModelBundle bundle = ModelBundle.read(v.files().get(ModelBundle.MANIFEST_FILE),
                v.files().get(ModelBundle.MODEL_FILE), v.where());
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : v.files().entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            throw new BundleException("model bundle " + dir + ": cannot write: " + e.getMessage(), e);
        }
        return bundle;
    }

    /**
     * The manifest of a verified archive (bounds, format version and checksums as {@link #unpack}), parsed but not
     * loaded with its network: what a listing shows, at a fraction of the cost.
     */
    public static BundleManifest manifest(byte[] archive) {
        Verified v = verify(archive);
        return ModelBundle.readManifest(v.files().get(ModelBundle.MANIFEST_FILE), v.where());
    }

    /** The header of a verified archive. */
    public static Header header(byte[] archive) {
        return verify(archive).header();
    }

    /** An archive whose bounds, header and checksums hold; {@code files} are the bundle files by name. */
    private record Verified(Header header, Map<String, byte[]> files, String where) {
    }

    private static Verified verify(byte[] archive) {
        if (archive == null || archive.length == 0) {
            throw refused("empty record");
        }
        if (archive.length > MAX_ARCHIVE_BYTES) {
            throw refused(archive.length + " bytes, over the cap of " + MAX_ARCHIVE_BYTES);
        }
        Map<String, byte[]> entries = entries(archive);
        byte[] headerBytes = entries.remove(HEADER_FILE);
        if (headerBytes == null) {
            throw refused(entries.isEmpty() ? "not a model archive (no zip entries)" : "no " + HEADER_FILE);
        }
        Header header;
        try {
            header = JSON.readValue(headerBytes, Header.class);
        } catch (IOException e) {
            throw refused(HEADER_FILE + " is not a valid header (" + firstLine(e) + ")");
        }
        if (header.formatVersion() != FORMAT_VERSION) {
            throw refused("format version " + header.formatVersion() + " is not supported (this harstream reads "
                    + "version " + FORMAT_VERSION + ")");
        }
        if (header.modelVersion() == null || header.modelVersion().isBlank() || header.sha256() == null) {
            throw refused(HEADER_FILE + " names no model version or no checksums");
        }
        for (String required : List.of(ModelBundle.MANIFEST_FILE, ModelBundle.MODEL_FILE)) {
            if (!entries.containsKey(required)) {
                throw refused(required + " is missing");
            }
        }
        if (!header.sha256().keySet().equals(entries.keySet())) {
            throw refused("the header lists checksums for " + new TreeMap<>(header.sha256()).keySet()
                    + " but the archive holds " + new TreeMap<>(entries).keySet());
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!sha256(e.getValue()).equalsIgnoreCase(header.sha256().get(e.getKey()))) {
                throw refused("checksum mismatch for " + e.getKey() + " (the file is not the one the header names)");
            }
        }
        String where = "archive " + header.modelVersion();
        checkNetworkZip(entries.get(ModelBundle.MODEL_FILE), where);
        String manifestVersion = ModelBundle.readManifest(entries.get(ModelBundle.MANIFEST_FILE), where).modelVersion();
        if (!header.modelVersion().equals(manifestVersion)) {
            throw refused("the header names model " + header.modelVersion() + " but model.json names "
                    + manifestVersion);
        }
        return new Verified(header, entries, where);
    }

    /** Reads every entry, enforcing names, count and expanded sizes while inflating. */
    private static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (entries.size() == MAX_ENTRIES) {
                    throw refused("more than " + MAX_ENTRIES + " entries");
                }
                if (name.contains("/") || name.contains("\\") || name.contains("..")) {
                    throw refused("entry '" + name + "' is a path; an archive holds only " + knownNames());
                }
                if (!name.equals(HEADER_FILE) && !BUNDLE_FILES.contains(name)) {
                    throw refused("unknown entry '" + name + "'; an archive holds only " + knownNames());
                }
                if (entries.containsKey(name)) {
                    throw refused("entry '" + name + "' appears twice");
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                copyBounded(zip, content, limit(name), "entry " + name + " expands beyond " + limit(name) + " bytes");
                byte[] bytes = content.toByteArray();
                total += bytes.length;
                if (total > MAX_EXPANDED_BYTES) {
                    throw refused("entries expand beyond " + MAX_EXPANDED_BYTES + " bytes together");
                }
                entries.put(name, bytes);
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipInputStream's answer to an entry name that is not valid UTF-8
            throw refused("not a readable zip (" + firstLine(e) + ")");
        }
        return entries;
    }

    /**
     * Walks {@code model.zip}'s own entries with the same counting, so a bomb one level down is refused before
     * DL4J inflates it.
     */
    private static void checkNetworkZip(byte[] modelZip, String where) {
        long total = 0;
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(modelZip))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (++count > MAX_NETWORK_ENTRIES) {
                    throw refused(ModelBundle.MODEL_FILE + " has more than " + MAX_NETWORK_ENTRIES + " entries");
                }
                total += copyBounded(zip, OutputStream.nullOutputStream(), MAX_NETWORK_EXPANDED_BYTES - total,
                        ModelBundle.MODEL_FILE + "'s entries expand beyond " + MAX_NETWORK_EXPANDED_BYTES + " bytes together");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException("model bundle " + where + "!/" + ModelBundle.MODEL_FILE
                    + ": not a readable zip (" + firstLine(e) + ")", e);
        }
        if (count == 0) {
            throw new BundleException("model bundle " + where + "!/" + ModelBundle.MODEL_FILE
                    + ": not a readable DL4J model (no zip entries)");
        }
    }

    /**
     * Copies the rest of {@code in} to {@code out}, refused with {@code overLimit} as soon as more than {@code limit}
     * bytes came out; returns how many did.
     */
    private static long copyBounded(InputStream in, OutputStream out, long limit, String overLimit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > limit) {
                throw refused(overLimit);
            }
            out.write(buf, 0, r);
        }
        return n;
    }

    private static long limit(String name) {
        return name.equals(ModelBundle.MODEL_FILE) ? MAX_MODEL_BYTES : MAX_JSON_BYTES;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String knownNames() {
        return HEADER_FILE + ", " + String.join(", ", BUNDLE_FILES);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static BundleException refused(String why) {
        return new BundleException("model archive refused: " + why);
    }

    private static String firstLine(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
