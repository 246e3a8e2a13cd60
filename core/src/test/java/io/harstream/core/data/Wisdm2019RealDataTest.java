package io.harstream.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reads the real 22-subject WISDM 2019 phone-accelerometer copy (see shared/data/.../SOURCE.md for
 * the facts asserted here). Skips, with the searched path in the message, when the data is absent.
 * Takes a few seconds, so it stays in the default run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Wisdm2019RealDataTest {

    /** A-E rows in the 22 files before resampling (SOURCE.md: 79,676 + 81,439 + 79,650 + 79,687 + 79,653). */
    private static final long ROWS_A_TO_E = 400_105;

    private Dataset dataset;
    private long readMillis;

    @BeforeAll
    void readOnce() throws IOException {
        Optional<Path> dir = SharedData.wisdm2019Dir();
        if (dir.isEmpty()) {
            return; // each test then skips with the message below (a @BeforeAll skip would report no tests at all)
        }
        long started = System.nanoTime();
        dataset = Wisdm2019Reader.read(dir.get(), Activities.DEFAULT_2019_CODES);
        readMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("WISDM 2019 A-E: %,d samples (%,d rows before resampling) in %,d recordings, read in %,d ms%n",
                dataset.sampleCount(), ROWS_A_TO_E, dataset.recordings().size(), readMillis);
        dataset.notes().forEach(n -> System.out.println("  note: " + n));
    }

    @BeforeEach
    void requireData() {
        Assumptions.assumeTrue(dataset != null,
                "WISDM-2019 data not found at " + SharedData.wisdm2019Searched() + "; skipping real-data test");
    }

    @Test
    void has22SubjectsAndTheFiveV1LikeClasses() {
        assertThat(dataset.activities()).containsExactly("Walking", "Jogging", "Stairs", "Sitting", "Standing");
        assertThat(dataset.recordings().stream().map(Recording::user).distinct()).hasSize(22);
        // 22 subjects x 5 blocks, less 1609's missing Jogging.
        assertThat(dataset.recordings()).hasSize(22 * 5 - 1);
    }

    @Test
    void theRealFilesHaveNoMalformedLines() {
        assertThat(dataset.skipped().total()).as(dataset.skipped().summary()).isZero();
    }

    @Test
    void resamplesSubject1607AndThe50HzJoggingOf1626Only() {
        List<String> resampled = dataset.notes().stream().filter(n -> n.startsWith("resampled")).toList();

        assertThat(resampled).hasSize(6);
        for (String activity : dataset.activities()) {
            assertThat(resampled).anyMatch(n -> n.startsWith("resampled 1607/" + activity + " from 25."));
        }
        assertThat(resampled).anyMatch(n -> n.startsWith("resampled 1626/Jogging from 49.") || n.startsWith("resampled 1626/Jogging from 50."));
        assertThat(resampled).allMatch(n -> n.contains(" to 20 Hz ("));
    }

    @Test
    void resampledBlocksSpanTheirThreeMinutesAt20Hz() {
        Map<String, Integer> sizes = dataset.recordings().stream()
                .filter(r -> r.user().equals("1607") || r.user().equals("1626"))
                .collect(Collectors.toMap(r -> r.user() + "/" + r.samples().get(0).activity(), Recording::size));

        // ~180 s at 50 ms, grid end included.
        assertThat(sizes.get("1607/Walking")).isBetween(3590, 3610);
        assertThat(sizes.get("1626/Jogging")).isBetween(3590, 3610);
        // Untouched 19.86 Hz block of the same subject, as counted in SOURCE.md.
        assertThat(sizes.get("1626/Walking")).isEqualTo(3_572);
    }

    @Test
    void subject1609HasNoJogging() {
        assertThat(dataset.recordings()).filteredOn(r -> r.user().equals("1609"))
                .extracting(r -> r.samples().get(0).activity())
                .containsExactly("Walking", "Stairs", "Sitting", "Standing");
    }

    @Test
    void sampleCountIsTheRowCountLessWhatResamplingRemoved() {
        // 1607 loses ~900 of ~4,513 per block (25 -> 20 Hz), 1626 Jogging ~5,300 of 8,937 (50 -> 20 Hz).
        assertThat(dataset.sampleCount()).isBetween(389_000L, 391_500L);
        assertThat(dataset.notes()).anyMatch(n -> n.startsWith("left out 1,033,384 samples of 13 activities"));
    }
}
