package io.harstream.trainer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
