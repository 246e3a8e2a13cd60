package io.harstream.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGeneratorTest {

    private static final String FLOAT = "(-?\\d+\\.\\d+(?:E-?\\d+)?)";
    private static final Pattern LINE = Pattern.compile(
            "^(\\d+),(Walking|Jogging|Upstairs|Downstairs|Sitting|Standing),(\\d+)," + FLOAT + "," + FLOAT + "," + FLOAT + ";$");
    private static final long STEP_NS = 50_000_000L;
    private static final double G = 9.81;

    /** The default data set, parsed once: 172,800 lines. */
    private static String defaultText;
    private static List<Block> defaultBlocks;

    /** One contiguous run of a user's samples of one activity. */
    record Block(int user, String activity, List<Long> timestamps, List<double[]> xyz) {

        double[] magnitudeMeanSd() {
            double s = 0;
            double s2 = 0;
            for (double[] v : xyz) {
                double m = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                s += m;
                s2 += m * m;
            }
            int n = xyz.size();
            double mean = s / n;
            return new double[] {mean, Math.sqrt(Math.max(0, s2 / n - mean * mean))};
        }

        double[] meanVector() {
            double[] m = new double[3];
            for (double[] v : xyz) {
                for (int i = 0; i < 3; i++) {
                    m[i] += v[i] / xyz.size();
                }
            }
            return m;
        }
    }

    @BeforeAll
    static void generateDefaults() throws IOException {
        defaultText = generate(SyntheticSpec.defaults());
        defaultBlocks = parseBlocks(defaultText);
    }

    private static String generate(SyntheticSpec spec) throws IOException {
        StringWriter out = new StringWriter();
        new SyntheticGenerator(spec).write(out);
        return out.toString();
    }

    /** Parses the text, asserting every line's format; splits at user, activity or timestamp-gap changes. */
    private static List<Block> parseBlocks(String text) throws IOException {
        List<Block> blocks = new ArrayList<>();
        Block cur = null;
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("line format: '%s'", line).isTrue();
                int user = Integer.parseInt(m.group(1));
                String activity = m.group(2);
                long ts = Long.parseLong(m.group(3));
                double[] v = {Float.parseFloat(m.group(4)), Float.parseFloat(m.group(5)), Float.parseFloat(m.group(6))};
                boolean same = cur != null && cur.user() == user && cur.activity().equals(activity)
                        && ts - cur.timestamps().get(cur.timestamps().size() - 1) <= 1_000_000_000L;
                if (!same) {
                    cur = new Block(user, activity, new ArrayList<>(), new ArrayList<>());
                    blocks.add(cur);
                }
                cur.timestamps().add(ts);
                cur.xyz().add(v);
            }
        }
        return blocks;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SyntheticSpec d = SyntheticSpec.defaults();
        assertThat(d.seed()).isEqualTo(42L);
        assertThat(d.users()).isEqualTo(12);
        assertThat(d.secondsPerActivity()).isEqualTo(120.0);
        assertThat(d.sampleRateHz()).isEqualTo(20.0);
        assertThat(d.blocksPerActivity()).isEqualTo(2);
        assertThat(d.sampleStepNanos()).isEqualTo(STEP_NS);
        assertThat(new SyntheticSpec(42, 12, 120, 20)).isEqualTo(d);
        assertThat(new SyntheticGenerator(d).sampleCount()).isEqualTo(172_800L);
    }

    @Test
    void specRejectsNonsense() {
        assertThatThrownBy(() -> new SyntheticSpec(1, 0, 10, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, 0, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, -5, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, Double.NaN, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, Double.POSITIVE_INFINITY, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, 10, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, 10, 20, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSpec(1, 1, 0.1, 20, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticGenerator(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void sameSpecGivesIdenticalBytesAndOtherSeedDiffers() throws IOException {
        assertThat(generate(SyntheticSpec.defaults())).isEqualTo(defaultText);
        SyntheticSpec small = new SyntheticSpec(7, 3, 20, 20);
        String a = generate(small);
        assertThat(generate(small)).isEqualTo(a);
        String b = generate(small.withSeed(8));
        assertThat(b).isNotEqualTo(a);
        assertThat(b.lines().count()).isEqualTo(a.lines().count());
    }

    @Test
    void aUsersDataDoesNotDependOnHowManyUsersAreWritten() throws IOException {
        String three = generate(new SyntheticSpec(5, 3, 10, 20));
        String five = generate(new SyntheticSpec(5, 5, 10, 20));
        assertThat(five).startsWith(three);
    }

    @Test
    void sampleCountMatchesLinesAndEveryUserHasEveryActivity() {
        assertThat((long) defaultText.split("\n", -1).length - 1).isEqualTo(172_800L);
        assertThat(defaultText).endsWith(";\n");
        assertThat(defaultBlocks.stream().mapToLong(b -> b.xyz().size()).sum()).isEqualTo(172_800L);

        Map<Integer, Map<String, Integer>> perUser = new TreeMap<>();
        for (Block b : defaultBlocks) {
            perUser.computeIfAbsent(b.user(), u -> new TreeMap<>()).merge(b.activity(), b.xyz().size(), Integer::sum);
        }
        assertThat(perUser.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        for (Map<String, Integer> acts : perUser.values()) {
            assertThat(acts.keySet()).containsExactlyInAnyOrderElementsOf(SyntheticGenerator.ACTIVITIES);
            assertThat(acts.values()).allMatch(n -> n == 2400);
        }
        // two blocks per activity and user, 1200 samples each
        assertThat(defaultBlocks).hasSize(12 * 6 * 2).allMatch(b -> b.xyz().size() == 1200);
    }

    @Test
    void sampleCountMatchesForOddSizes() throws IOException {
        SyntheticSpec spec = new SyntheticSpec(3, 2, 10.03, 20, 3); // 201 samples per activity: 67 per block
        SyntheticGenerator gen = new SyntheticGenerator(spec);
        String text = generate(spec);
        assertThat(gen.sampleCount()).isEqualTo(2 * 6 * 201L);
        assertThat(text.lines().count()).isEqualTo(gen.sampleCount());
        assertThat(parseBlocks(text)).hasSize(2 * 6 * 3);
    }

    @Test
    void timestampsStepBy50msInsideABlockAndJumpAtLeast5sBetweenBlocks() {
        Map<Integer, Long> lastOfUser = new TreeMap<>();
        TreeSet<Long> starts = new TreeSet<>();
        String previousActivity = null;
        int previousUser = -1;
        int adjacentSameActivity = 0;
        for (Block b : defaultBlocks) {
            List<Long> ts = b.timestamps();
            for (int i = 1; i < ts.size(); i++) {
                assertThat(ts.get(i) - ts.get(i - 1)).isEqualTo(STEP_NS);
            }
            Long last = lastOfUser.get(b.user());
            if (last == null) {
                starts.add(ts.get(0));
            } else {
                assertThat(ts.get(0) - last).as("gap before a block of user %d", b.user())
                        .isGreaterThanOrEqualTo(5_000_000_000L)
                        .isLessThanOrEqualTo(30_000_000_000L);
            }
            lastOfUser.put(b.user(), ts.get(ts.size() - 1));
            if (b.user() == previousUser && b.activity().equals(previousActivity)) {
                adjacentSameActivity++;
            }
            previousUser = b.user();
            previousActivity = b.activity();
        }
        assertThat(starts).as("each user's clock starts elsewhere").hasSize(12);
        // blocks are shuffled, not written activity by activity
        assertThat(adjacentSameActivity).isLessThan(12 * 6);
        List<String> firstActivities = new ArrayList<>();
        for (int user = 1; user <= 12; user++) {
            int u = user;
            firstActivities.add(defaultBlocks.stream().filter(b -> b.user() == u).findFirst().orElseThrow().activity());
        }
        assertThat(new TreeSet<>(firstActivities)).hasSizeGreaterThan(1);
    }

    @Test
    void valuesAreFiniteAndClippedAt2g() {
        for (Block b : defaultBlocks) {
            for (double[] v : b.xyz()) {
                for (double c : v) {
                    assertThat((float) c).isBetween(-19.6f, 19.6f);
                }
            }
        }
    }

    @Test
    void meanMagnitudeIsAboutGravityInEveryBlock() {
        for (Block b : defaultBlocks) {
            assertThat(b.magnitudeMeanSd()[0]).as("user %d %s", b.user(), b.activity()).isBetween(G - 1, G + 1);
        }
    }

    @Test
    void magnitudeSpreadOrdersTheActivities() {
        Map<String, Double> meanSd = new TreeMap<>();
        for (Block b : defaultBlocks) {
            meanSd.merge(b.activity(), b.magnitudeMeanSd()[1] / (12 * 2), Double::sum);
        }
        assertThat(meanSd.get("Jogging")).isGreaterThan(meanSd.get("Walking"));
        assertThat(meanSd.get("Walking")).isGreaterThan(meanSd.get("Standing"));
        assertThat(meanSd.get("Standing")).isGreaterThan(meanSd.get("Sitting"));
        assertThat(meanSd.get("Jogging")).isGreaterThan(4.0);
        assertThat(meanSd.get("Walking")).isBetween(1.5, 4.5);
        assertThat(meanSd.get("Upstairs")).isBetween(1.5, 5.0);
        assertThat(meanSd.get("Downstairs")).isBetween(1.5, 5.0);
        assertThat(meanSd.get("Standing")).isLessThan(0.8);
        assertThat(meanSd.get("Sitting")).isLessThan(0.6);
    }

    @Test
    void usersHoldTheirPhonesDifferently() {
        List<double[]> directions = new ArrayList<>();
        for (int user = 1; user <= 12; user++) {
            double[] sum = new double[3];
            for (Block b : defaultBlocks) {
                if (b.user() == user && b.activity().equals("Standing")) {
                    double[] m = b.meanVector();
                    for (int i = 0; i < 3; i++) {
                        sum[i] += m[i];
                    }
                }
            }
            double n = Math.sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
            directions.add(new double[] {sum[0] / n, sum[1] / n, sum[2] / n});
        }
        int differentPairs = 0;
        double minAngle = Math.PI;
        int pairs = 0;
        for (int i = 0; i < directions.size(); i++) {
            for (int j = i + 1; j < directions.size(); j++) {
                double[] a = directions.get(i);
                double[] b = directions.get(j);
                double angle = Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])));
                minAngle = Math.min(minAngle, angle);
                if (angle > Math.toRadians(5)) {
                    differentPairs++;
                }
                pairs++;
            }
        }
        assertThat(differentPairs).as("pairs of users whose standing gravity differs by more than 5 degrees")
                .isGreaterThan(pairs * 3 / 4);
        // gravity while standing is mostly along y for most users, along x for some
        long alongY = directions.stream().filter(d -> Math.abs(d[1]) > 0.7).count();
        assertThat(alongY).isGreaterThanOrEqualTo(6);
    }

    @Test
    void sittingTurnsGravityAwayFromTheStandingDirection() {
        int clearlyDifferent = 0;
        for (int user = 1; user <= 12; user++) {
            double[] sit = new double[3];
            double[] stand = new double[3];
            for (Block b : defaultBlocks) {
                if (b.user() == user && (b.activity().equals("Sitting") || b.activity().equals("Standing"))) {
                    double[] m = b.meanVector();
                    double[] acc = b.activity().equals("Sitting") ? sit : stand;
                    for (int i = 0; i < 3; i++) {
                        acc[i] += m[i];
                    }
                }
            }
            double cos = (sit[0] * stand[0] + sit[1] * stand[1] + sit[2] * stand[2])
                    / Math.sqrt((sit[0] * sit[0] + sit[1] * sit[1] + sit[2] * sit[2])
                    * (stand[0] * stand[0] + stand[1] * stand[1] + stand[2] * stand[2]));
            if (Math.toDegrees(Math.acos(cos)) > 55) {
                clearlyDifferent++;
            }
        }
        // most users sit with the thigh near horizontal; a minority perch and look alike
        assertThat(clearlyDifferent).isBetween(7, 12);
    }

    @Test
    void writesPlainAndGzipFiles(@TempDir Path dir) throws IOException {
        SyntheticSpec spec = new SyntheticSpec(11, 2, 15, 20);
        SyntheticGenerator gen = new SyntheticGenerator(spec);
        String expected = generate(spec);

        Path plain = dir.resolve("sub/dir/wisdm.txt");
        gen.write(plain);
        assertThat(Files.readString(plain, StandardCharsets.US_ASCII)).isEqualTo(expected);

        Path gz = dir.resolve("wisdm.txt.gz");
        gen.write(gz);
        byte[] raw = Files.readAllBytes(gz);
        assertThat(raw[0] & 0xff).isEqualTo(0x1f);
        assertThat(raw[1] & 0xff).isEqualTo(0x8b);
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                sb.append(line).append('\n');
            }
        }
        assertThat(sb.toString()).isEqualTo(expected);
        assertThat(sb.toString().lines().count()).isEqualTo(gen.sampleCount());

        Path gz2 = dir.resolve("again.gz");
        gen.write(gz2);
        assertThat(Files.readAllBytes(gz2)).as("gzip output is deterministic too").isEqualTo(raw);
    }

    @Test
    void writeFlushesButDoesNotCloseTheWriter() throws IOException {
        StringWriter out = new StringWriter();
        SyntheticGenerator gen = new SyntheticGenerator(new SyntheticSpec(1, 1, 5, 20));
        gen.write(out);
        out.write("more");
        assertThat(out.toString()).endsWith(";\nmore");
    }

    @Test
    void otherSampleRatesKeepTheirStep() throws IOException {
        SyntheticSpec spec = new SyntheticSpec(1, 1, 10, 50, 1);
        assertThat(spec.sampleStepNanos()).isEqualTo(20_000_000L);
        List<Block> blocks = parseBlocks(generate(spec));
        assertThat(blocks).hasSize(6).allMatch(b -> b.xyz().size() == 500);
        for (Block b : blocks) {
            for (int i = 1; i < b.timestamps().size(); i++) {
                assertThat(b.timestamps().get(i) - b.timestamps().get(i - 1)).isEqualTo(20_000_000L);
            }
            assertThat(b.magnitudeMeanSd()[0]).isBetween(G - 1, G + 1);
        }
    }
}
