package io.harstream.trainer;

import io.harstream.core.window.Window;
import io.harstream.trainer.report.PhonePosture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CrossValidationTest {

    private static final List<String> USERS = IntStream.range(1600, 1651).mapToObj(Integer::toString).toList();

    @Test
    void foldsAreDisjointAndCoverEveryUserOnce() {
        List<List<String>> folds = CrossValidation.folds(USERS, 5, 42);
        assertThat(folds).hasSize(5);
        List<String> all = new ArrayList<>();
        folds.forEach(all::addAll);
        assertThat(all).hasSize(USERS.size()).containsExactlyInAnyOrderElementsOf(USERS);
        assertThat(new HashSet<>(all)).hasSize(USERS.size());
        for (List<String> f : folds) {
            assertThat(f.size()).isBetween(10, 11);
        }
    }

    @Test
    void sameSeedSameFoldsOtherSeedOtherFolds() {
        assertThat(CrossValidation.folds(USERS, 5, 42)).isEqualTo(CrossValidation.folds(new ArrayList<>(USERS), 5, 42));
        assertThat(CrossValidation.folds(USERS, 5, 43)).isNotEqualTo(CrossValidation.folds(USERS, 5, 42));
        // the input order does not matter, only the set of users
        List<String> reversed = new ArrayList<>(USERS);
        java.util.Collections.reverse(reversed);
        assertThat(CrossValidation.folds(reversed, 5, 42)).isEqualTo(CrossValidation.folds(USERS, 5, 42));
    }

    @Test
    void foldsAreNotJustConsecutiveUsers() {
        Set<String> first = new HashSet<>(CrossValidation.folds(USERS, 5, 42).get(0));
        assertThat(first).isNotEqualTo(new HashSet<>(USERS.subList(0, first.size())));
    }

    @Test
    void tooFewUsersOrFoldsAreRefused() {
        assertThatThrownBy(() -> CrossValidation.folds(List.of("a", "b"), 3, 1)).hasMessageContaining("needs at least 3 users");
        assertThatThrownBy(() -> CrossValidation.folds(USERS, 1, 1)).hasMessageContaining("at least 2 folds");
    }

    @Test
    void posturesAreTheMeanAccelerationOfEachUsersActivity() {
        // user 1 stands with the phone upright and sits with it flat; user 2 stands with it sideways
        List<LabeledWindow> windows = List.of(
                still("1", 1, 0, 9.8f, 0), still("1", 1, 0, 9.6f, 0.2f), still("1", 0, 0, 0, 9.8f),
                still("2", 1, 9.8f, 0, 0));
        Map<String, Map<String, PhonePosture>> postures = CrossValidation.postures(windows, List.of("Sitting", "Standing"));

        assertThat(postures.keySet()).containsExactly("1", "2");
        assertThat(postures.get("1").keySet()).containsExactly("Sitting", "Standing");
        PhonePosture standing = postures.get("1").get("Standing");
        assertThat(standing.windows()).isEqualTo(2);
        assertThat(standing.y()).isCloseTo(9.7, within(1e-6));
        assertThat(standing.z()).isCloseTo(0.1, within(1e-6));
        assertThat(postures.get("1").get("Sitting").z()).isCloseTo(9.8, within(1e-6));
        assertThat(postures.get("2")).containsOnlyKeys("Standing");
        assertThat(postures.get("2").get("Standing").describe()).isEqualTo("x 9.8, y 0.0, z 0.0");
        assertThat(postures.get("2").get("Standing").magnitude()).isCloseTo(9.8, within(1e-6));
    }

    @Test
    void aPostureOfNoSamplesIsRefused() {
        assertThatThrownBy(() -> PhonePosture.of(List.of())).hasMessageContaining("no samples");
    }

    /** A still window of 4 samples: the same acceleration in each, but the first sample off by +-1 on x. */
    private static LabeledWindow still(String user, int label, float x, float y, float z) {
        float[] xs = {x + 1, x - 1, x, x};
        float[] ys = {y, y, y, y};
        float[] zs = {z, z, z, z};
        return new LabeledWindow(user, 0, new Window(0, 150, xs, ys, zs, label));
    }
}
