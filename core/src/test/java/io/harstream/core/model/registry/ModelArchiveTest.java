package io.harstream.core.model.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.model.BundleException;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.window.WindowSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelArchiveTest {

    private static final Path SHIPPED = Path.of("..", "models", "wisdm2019");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    /** A small valid bundle's files, the raw material of the hand-made archives below. */
    static Map<String, byte[]> files;

    @BeforeAll
    static void tinyBundle() throws IOException {
        Path dir = tmp.resolve("tiny");
        TestBundles.tiny(List.of("Walking", "Jogging", "Sitting"), new WindowSpec(12, 4, 1000), 4, 7).save(dir);
        files = new LinkedHashMap<>();
        files.put("model.json", Files.readAllBytes(dir.resolve("model.json")));
        files.put("model.zip", Files.readAllBytes(dir.resolve("model.zip")));
    }

    @Test
    void theShippedModelSurvivesARoundTripWithItsFilesOnly(@TempDir Path out) throws IOException {
        byte[] archive = ModelArchive.pack(SHIPPED);
        ModelBundle loaded = ModelBundle.load(SHIPPED);

        ModelBundle unpacked = ModelArchive.unpack(archive);

        assertThat(unpacked.manifest()).usingRecursiveComparison().isEqualTo(loaded.manifest());
        assertThat(unpacked.network().params()).isEqualTo(loaded.network().params());
        assertThat(names(archive)).containsExactly(ModelArchive.HEADER_FILE, "model.json", "model.zip", "metrics.json");
        assertThat(ModelArchive.pack(SHIPPED)).as("packing is reproducible").isEqualTo(archive);
        assertThat(ModelArchive.header(archive).modelVersion()).isEqualTo(loaded.manifest().modelVersion());

        ModelBundle written = ModelArchive.unpackTo(archive, out.resolve("bundle"));
        assertThat(written.network().params()).isEqualTo(loaded.network().params());
        assertThat(ModelBundle.load(out.resolve("bundle")).manifest()).usingRecursiveComparison()
                .isEqualTo(loaded.manifest());
        for (String f : List.of("model.json", "model.zip", "metrics.json")) {
            assertThat(out.resolve("bundle").resolve(f)).hasSameBinaryContentAs(SHIPPED.resolve(f));
        }
        assertThat(out.resolve("bundle").resolve("report.html")).doesNotExist();
    }

    @Test
    void aBundleWithoutMetricsPacksAndLoads() {
        ModelBundle b = ModelArchive.unpack(archive(files));
        assertThat(b.manifest().modelVersion()).isEqualTo("test-7");
        assertThat(ModelArchive.manifest(archive(files)).classes()).containsExactly("Walking", "Jogging", "Sitting");
    }

    @Test
    void garbageIsRefused() {
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        assertRefused(garbage, "model archive refused: not a model archive (no zip entries)");
        assertRefused(new byte[0], "model archive refused: empty record");
    }

    @Test
    void aTruncatedZipIsRefused() {
        byte[] whole = ModelArchive.pack(SHIPPED);
        assertRefused(Arrays.copyOf(whole, whole.length / 2), "model archive refused: ");
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        assertRefused(archive(files, 2, sums(files)),
                "model archive refused: format version 2 is not supported (this harstream reads version 1)");
    }

    @Test
    void aRecordOverTheCapIsRefusedBeforeItIsRead() {
        assertRefused(new byte[ModelArchive.MAX_ARCHIVE_BYTES + 1], "model archive refused: "
                + (ModelArchive.MAX_ARCHIVE_BYTES + 1) + " bytes, over the cap of " + ModelArchive.MAX_ARCHIVE_BYTES);
    }

    @Test
    void anEntryExpandingBeyondItsBoundIsRefusedWhileInflating() {
        Map<String, byte[]> bomb = new LinkedHashMap<>(files);
        bomb.put("metrics.json", new byte[(int) ModelArchive.MAX_JSON_BYTES + 1]);
        byte[] archive = archive(bomb);
        assertThat(archive.length).as("a bomb: small compressed").isLessThan(64 << 10);
        assertRefused(archive, "model archive refused: entry metrics.json expands beyond "
                + ModelArchive.MAX_JSON_BYTES + " bytes");
    }

    @Test
    void aBombInsideModelZipIsRefusedBeforeDl4jReadsIt() {
        Map<String, byte[]> bomb = new LinkedHashMap<>(files);
        bomb.put("model.zip", zip(Map.of("coefficients.bin",
                new byte[(int) ModelArchive.MAX_NETWORK_EXPANDED_BYTES + 1])));
        assertRefused(archive(bomb), "model archive refused: model.zip's entries expand beyond "
                + ModelArchive.MAX_NETWORK_EXPANDED_BYTES + " bytes");
    }

    @Test
    void anEntryOutsideTheKnownFilesIsRefused() {
        Map<String, byte[]> extra = new LinkedHashMap<>(files);
        extra.put("report.html", "<html/>".getBytes(StandardCharsets.UTF_8));
        assertRefused(archive(extra), "model archive refused: unknown entry 'report.html'; an archive holds only "
                + "harstream-archive.json, model.json, model.zip, metrics.json");
    }

    @Test
    void tooManyEntriesAreRefused() {
        Map<String, byte[]> many = new LinkedHashMap<>(files);
        many.put("metrics.json", "{}".getBytes(StandardCharsets.UTF_8));
        many.put("x", new byte[1]);
        assertRefused(archive(many), "model archive refused: more than 4 entries");
    }

    @Test
    void pathsAreRefused() {
        for (String name : List.of("../model.json", "sub/model.json", "/model.json", "..\\model.json")) {
            Map<String, byte[]> traversal = new LinkedHashMap<>();
            traversal.put(name, files.get("model.json"));
            traversal.put("model.zip", files.get("model.zip"));
            assertRefused(archive(traversal), "model archive refused: entry '" + name + "' is a path");
        }
    }

    @Test
    void anEntryNameThatIsNotUtf8IsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out, StandardCharsets.ISO_8859_1)) {
            z.putNextEntry(new ZipEntry("mod\u00e9l.json"));
            z.write(files.get("model.json"));
            z.closeEntry();
        }
        assertRefused(out.toByteArray(), "model archive refused: not a readable zip (");
    }

    @Test
    void aFileThatDoesNotMatchItsChecksumIsRefused() {
        Map<String, byte[]> changed = new LinkedHashMap<>(files);
        changed.put("model.json", (new String(files.get("model.json"), StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        assertRefused(archive(changed, 1, sums(files)), "model archive refused: checksum mismatch for model.json");
    }

    @Test
    void aMissingFileOrChecksumIsRefused() {
        assertRefused(archive(Map.of("model.json", files.get("model.json"))), "model archive refused: model.zip is missing");
        Map<String, String> fewer = new TreeMap<>(sums(files));
        fewer.remove("model.zip");
        assertRefused(archive(files, 1, fewer), "model archive refused: the header lists checksums for [model.json] "
                + "but the archive holds [model.json, model.zip]");
    }

    @Test
    void aBundleTheStreamAppWouldRefuseIsRefusedWithTheSameReason() throws IOException {
        // two classes in the manifest, three outputs in the network
        String json = new String(files.get("model.json"), StandardCharsets.UTF_8).replace("\"Sitting\"", "")
                .replace("\"Jogging\",", "\"Jogging\"");
        Map<String, byte[]> bad = new LinkedHashMap<>(files);
        bad.put("model.json", json.getBytes(StandardCharsets.UTF_8));
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.write(dir.resolve("model.json"), bad.get("model.json"));
        Files.write(dir.resolve("model.zip"), bad.get("model.zip"));
        String reason = "the network has 3 outputs but model.json lists 2 classes";
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageEndingWith(reason);

        assertRefused(archive(bad), "model bundle archive test-7: " + reason);
        assertThatThrownBy(() -> ModelArchive.unpackTo(archive(bad), tmp.resolve("unpacked"))).hasMessageEndingWith(reason);
        assertThat(tmp.resolve("unpacked")).as("a refused archive writes nothing").doesNotExist();
        assertThatThrownBy(() -> ModelArchive.pack(tmp.resolve("missing"))).isInstanceOf(BundleException.class)
                .hasMessageEndingWith("not a directory");
    }

    @Test
    void aHeaderNamingAnotherModelIsRefused() {
        assertRefused(archive(files, 1, sums(files), "other"),
                "model archive refused: the header names model other but model.json names test-7");
    }

    private static void assertRefused(byte[] archive, String messageStart) {
        assertThatThrownBy(() -> ModelArchive.unpack(archive)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith(messageStart)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }

    private static byte[] archive(Map<String, byte[]> content) {
        return archive(content, ModelArchive.FORMAT_VERSION, sums(content));
    }

    private static byte[] archive(Map<String, byte[]> content, int formatVersion, Map<String, String> sums) {
        return archive(content, formatVersion, sums, "test-7");
    }

    private static byte[] archive(Map<String, byte[]> content, int formatVersion, Map<String, String> sums,
                                  String modelVersion) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            entries.put(ModelArchive.HEADER_FILE, JSON.writeValueAsBytes(
                    new ModelArchive.Header(formatVersion, modelVersion, sums)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        entries.putAll(content);
        return zip(entries);
    }

    private static Map<String, String> sums(Map<String, byte[]> content) {
        Map<String, String> s = new TreeMap<>();
        content.forEach((k, v) -> s.put(k, ModelArchive.sha256(v)));
        return s;
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static List<String> names(byte[] archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
