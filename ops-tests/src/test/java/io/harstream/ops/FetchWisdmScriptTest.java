package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/fetch-wisdm.sh against archives this test builds, served from a loopback HTTP server. The expected
 * counts are overridden (WISDM_EXPECTED_*) to match the small crafted files.
 */
class FetchWisdmScriptTest {

    private static final Path ROOT = Tools.ROOT;
    private static final String RAW = "WISDM_ar_v1.1_raw.txt";
    private static final List<String> ACTIVITIES = List.of("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void tools() throws IOException {
        for (String tool : List.of("bash", "tar", "gzip", "awk", "sha256sum")) {
            Tools.require(tool, tool.equals("sha256sum") ? "coreutils" : tool);
        }
        if (Tools.find("curl").isEmpty()) {
            Tools.require("wget", "curl");
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/gzip");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * A raw file in the real file's format with its quirks: one record a line mostly, but also two records on
     * a line, a line without ';', a doubled ';', blank lines, a record with an empty axis. The counts are
     * records by activity, as the script makes them.
     */
    private static String rawFile(Map<String, Integer> counts, long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        long ts = 49105962326000L;
        int n = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            for (int i = 0; i < e.getValue(); i++, n++) {
                ts += 50_000_000L;
                String rec = String.format(Locale.ROOT, "%d,%s,%d,%.6f,%.6f,%.8f", 1 + rnd.nextInt(36), e.getKey(), ts,
                        rnd.nextGaussian() * 5, rnd.nextGaussian() * 5 + 9.8, rnd.nextGaussian() * 3);
                switch (n % 97) {
                    case 10 -> sb.append(rec).append(";");              // next record on the same line
                    case 20 -> sb.append(rec).append("\n");             // no terminator
                    case 30 -> sb.append(rec).append(";;\n");           // doubled terminator
                    case 40 -> sb.append(rec).append(";\n\n");          // blank line after
                    case 50 -> sb.append(rec, 0, rec.lastIndexOf(',') + 1).append(";\n"); // empty z axis
                    default -> sb.append(rec).append(";\n");
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, Integer> counts(int walking, int jogging, int upstairs, int downstairs, int sitting, int standing) {
        Map<String, Integer> m = new LinkedHashMap<>();
        int[] v = {walking, jogging, upstairs, downstairs, sitting, standing};
        for (int i = 0; i < v.length; i++) {
            m.put(ACTIVITIES.get(i), v[i]);
        }
        return m;
    }

    /** The expected counts as the script's environment. */
    private static Map<String, String> expecting(Map<String, Integer> counts) {
        Map<String, String> env = new HashMap<>();
        int total = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            env.put("WISDM_EXPECTED_" + e.getKey().toUpperCase(Locale.ROOT), Integer.toString(e.getValue()));
            total += e.getValue();
        }
        env.put("WISDM_EXPECTED_TOTAL", Integer.toString(total));
        return env;
    }

    /** WISDM_ar_latest.tar.gz's layout: WISDM_ar_v1.1/ with the raw file and a readme. */
    private byte[] archive(String name, String rawContent) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("build-" + name + "/WISDM_ar_v1.1"));
        if (rawContent != null) {
            Files.writeString(dir.resolve(RAW), rawContent, StandardCharsets.US_ASCII);
        }
        Files.writeString(dir.resolve("readme.txt"), "WISDM v1.1 (test copy)\n");
        Path tgz = tmp.resolve(name + ".tar.gz");
        Tools.Result r = Tools.run(List.of("tar", "-czf", tgz.toString(), "-C", dir.getParent().toString(), "WISDM_ar_v1.1"), tmp);
        assertThat(r.exitCode()).as("tar\n%s", r).isZero();
        return Files.readAllBytes(tgz);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Tools.Result fetch(Path dest, Map<String, String> env, String... extraArgs) {
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/fetch-wisdm.sh"));
        cmd.addAll(List.of(extraArgs));
        if (dest != null) {
            cmd.add(dest.toString());
        }
        return Tools.run(cmd, ROOT, env, Duration.ofMinutes(2));
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> m = new HashMap<>(env);
        m.put(key, value);
        return m;
    }

    @Test
    void acceptsAnArchiveWithThePublishedCounts() throws IOException {
        Map<String, Integer> counts = counts(400, 300, 120, 100, 60, 50);
        String raw = rawFile(counts, 1);
        served.put("/wisdm.tar.gz", archive("good", raw));
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(expecting(counts), "WISDM_URL", url("/wisdm.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(dest.resolve(RAW)).hasContent(raw);
        assertThat(r.output()).contains("OK:").contains("total").doesNotContain("MISMATCH");
        // Nothing else left behind (no temporary directory).
        try (var s = Files.list(dest)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(RAW);
        }
    }

    @Test
    void countsRecordsNotLines() throws IOException {
        // Two records on one line, a line without ';', a doubled ';', blank lines, an empty axis: 6 records.
        String raw = "1,Walking,1,0.1,0.2,0.3;1,Walking,2,0.1,0.2,0.3;\n"
                + "2,Jogging,3,0.1,0.2,0.3\n"
                + "\n"
                + "3,Sitting,4,0.1,0.2,0.3;;\n"
                + "4,Standing,5,0.1,0.2,;\n"
                + ";\n"
                + "5,Upstairs,6,0.1,0.2,0.3;";
        Path file = Files.writeString(tmp.resolve(RAW), raw);
        Map<String, Integer> counts = counts(2, 1, 1, 0, 1, 1);

        Tools.Result ok = fetch(null, expecting(counts), "--check", file.toString());
        assertThat(ok.exitCode()).as("%s", ok).isZero();

        Tools.Result byLines = fetch(null, with(expecting(counts), "WISDM_EXPECTED_WALKING", "1"), "--check", file.toString());
        assertThat(byLines.exitCode()).as("%s", byLines).isEqualTo(1);
        assertThat(byLines.output()).contains("Walking", "MISMATCH", "REFUSED");
    }

    @Test
    void refusesATruncatedArchive() throws IOException {
        Map<String, Integer> counts = counts(3000, 2000, 500, 400, 300, 200);
        byte[] whole = archive("big", rawFile(counts, 2));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        served.put("/truncated.tar.gz", truncated);
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(expecting(counts), "WISDM_URL", url("/truncated.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED").contains("truncated or corrupt");
        assertThat(dest.resolve(RAW)).doesNotExist();
        try (var s = Files.list(dest)) {
            assertThat(s.toList()).as("nothing left in the destination").isEmpty();
        }
    }

    @Test
    void refusesACorruptArchive() throws IOException {
        Map<String, Integer> counts = counts(3000, 2000, 500, 400, 300, 200);
        byte[] corrupt = archive("corrupt", rawFile(counts, 3));
        for (int i = corrupt.length / 3; i < corrupt.length / 3 + 64; i++) {
            corrupt[i] ^= (byte) 0x5a;
        }
        served.put("/corrupt.tar.gz", corrupt);
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(expecting(counts), "WISDM_URL", url("/corrupt.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED");
        assertThat(dest.resolve(RAW)).doesNotExist();
    }

    @Test
    void refusesAFileWithOtherCounts() throws IOException {
        Map<String, Integer> actual = counts(400, 300, 120, 100, 60, 50);
        served.put("/wisdm.tar.gz", archive("wrong", rawFile(actual, 4)));
        Map<String, Integer> published = counts(400, 300, 120, 100, 61, 50);
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(expecting(published), "WISDM_URL", url("/wisdm.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("Sitting").contains("MISMATCH").contains("does not match the published");
        assertThat(dest.resolve(RAW)).doesNotExist();
    }

    @Test
    void refusesUnknownActivityLabels() throws IOException {
        Map<String, Integer> counts = counts(10, 10, 10, 10, 10, 10);
        String raw = rawFile(counts, 5).replaceFirst("Walking", "Running");
        served.put("/wisdm.tar.gz", archive("label", raw));
        // Walking 9 and the total 60 match: only the unknown label is wrong.
        Map<String, String> env = with(expecting(counts), "WISDM_EXPECTED_WALKING", "9");
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(env, "WISDM_URL", url("/wisdm.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("unexpected activity labels: Running=1");
    }

    @Test
    void refusesAnArchiveWithoutTheRawFile() throws IOException {
        served.put("/empty.tar.gz", archive("noraw", null));
        Path dest = tmp.resolve("data");

        Tools.Result r = fetch(dest, with(expecting(counts(1, 1, 1, 1, 1, 1)), "WISDM_URL", url("/empty.tar.gz")));

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("holds no " + RAW);
    }

    @Test
    void reportsAFailedDownload() {
        Path dest = tmp.resolve("data");
        Tools.Result r = fetch(dest, with(expecting(counts(1, 1, 1, 1, 1, 1)), "WISDM_URL", url("/missing.tar.gz")));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED: download of " + url("/missing.tar.gz") + " failed");
        assertThat(dest.resolve(RAW)).doesNotExist();
    }

    @Test
    void checksAPinnedSha256() throws IOException, NoSuchAlgorithmException {
        Map<String, Integer> counts = counts(40, 30, 12, 10, 6, 5);
        byte[] tgz = archive("pinned", rawFile(counts, 6));
        served.put("/wisdm.tar.gz", tgz);
        Map<String, String> env = with(expecting(counts), "WISDM_URL", url("/wisdm.tar.gz"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tgz));

        Tools.Result wrong = fetch(tmp.resolve("a"), with(env, "WISDM_SHA256", "0".repeat(64)));
        assertThat(wrong.exitCode()).as("%s", wrong).isEqualTo(1);
        assertThat(wrong.output()).contains("differs from WISDM_SHA256");
        assertThat(tmp.resolve("a").resolve(RAW)).doesNotExist();

        Tools.Result right = fetch(tmp.resolve("b"), with(env, "WISDM_SHA256", sha.toUpperCase(Locale.ROOT)));
        assertThat(right.exitCode()).as("%s", right).isZero();
        assertThat(right.output()).contains("archive sha256 matches");
    }

    @Test
    void keepsAGoodFileWithoutDownloadingAgain() throws IOException {
        Map<String, Integer> counts = counts(40, 30, 12, 10, 6, 5);
        served.put("/wisdm.tar.gz", archive("again", rawFile(counts, 7)));
        Map<String, String> env = with(expecting(counts), "WISDM_URL", url("/wisdm.tar.gz"));
        Path dest = tmp.resolve("data");
        assertThat(fetch(dest, env).exitCode()).isZero();
        int before = requests.get();

        Tools.Result again = fetch(dest, env);

        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.output()).contains("already there");
        assertThat(requests.get()).isEqualTo(before);
    }

    @Test
    void defaultsAreTheReadmeCounts() throws IOException {
        String script = Files.readString(ROOT.resolve("scripts/fetch-wisdm.sh"));
        assertThat(script).contains("WISDM_EXPECTED_TOTAL:-1098207").contains("WISDM_EXPECTED_WALKING:-424400")
                .contains("WISDM_EXPECTED_JOGGING:-342177").contains("WISDM_EXPECTED_UPSTAIRS:-122869")
                .contains("WISDM_EXPECTED_DOWNSTAIRS:-100427").contains("WISDM_EXPECTED_SITTING:-59939")
                .contains("WISDM_EXPECTED_STANDING:-48395")
                .contains("https://www.cis.fordham.edu/wisdm/includes/datasets/latest/WISDM_ar_latest.tar.gz");
        assertThat(424400 + 342177 + 122869 + 100427 + 59939 + 48395).isEqualTo(1098207);
    }

    @Test
    void usageErrorsExitWithTwo() {
        Tools.Result r = fetch(null, Map.of(), "--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
