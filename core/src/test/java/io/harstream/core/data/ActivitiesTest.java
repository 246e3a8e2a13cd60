package io.harstream.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActivitiesTest {

    @Test
    void v1ClassesAreInTheDatasetsCanonicalOrder() {
        assertThat(Activities.V1_CLASSES)
                .containsExactly("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");
    }

    @Test
    void mapsEvery2019CodeAndThereIsNoN() {
        assertThat(Activities.all2019Codes()).isEqualTo("ABCDEFGHIJKLMOPQRS");
        assertThat(Activities.nameOf2019Code('A')).isEqualTo("Walking");
        assertThat(Activities.nameOf2019Code("C")).isEqualTo("Stairs");
        assertThat(Activities.nameOf2019Code('O')).isEqualTo("Catch");
        assertThat(Activities.nameOf2019Code('S')).isEqualTo("Folding");
        assertThatThrownBy(() -> Activities.nameOf2019Code('N')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'N'");
        assertThatThrownBy(() -> Activities.nameOf2019Code("AB")).isInstanceOf(IllegalArgumentException.class);
        // Files use upper case; a lower-case code in a file is damage, not a spelling variant.
        assertThatThrownBy(() -> Activities.nameOf2019Code('a')).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheCodeOfA2019NameIgnoringCase() {
        assertThat(Activities.codeOf2019Name("Walking")).isEqualTo('A');
        assertThat(Activities.codeOf2019Name(" stairs ")).isEqualTo('C');
        assertThat(Activities.codeOf2019Name("FOLDING")).isEqualTo('S');
        assertThatThrownBy(() -> Activities.codeOf2019Name("Upstairs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Upstairs");
    }

    @Test
    void classes2019KeepTheGivenOrder() {
        assertThat(Activities.classes2019(Activities.DEFAULT_2019_CODES))
                .containsExactly("Walking", "Jogging", "Stairs", "Sitting", "Standing");
        assertThat(Activities.classes2019("CA")).containsExactly("Stairs", "Walking");
        assertThat(Activities.classes2019("a, c")).containsExactly("Walking", "Stairs");
    }

    @Test
    void classes2019RejectsUnknownRepeatedAndEmptySelections() {
        assertThatThrownBy(() -> Activities.classes2019("AN")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Activities.classes2019("ABA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> Activities.classes2019(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void v1ClassLookupIgnoresCaseAndBlanks() {
        assertThat(Activities.v1Class(" walking ")).contains("Walking");
        assertThat(Activities.v1Class("DOWNSTAIRS")).contains("Downstairs");
        assertThat(Activities.v1Class("Stairs")).isEmpty();
        assertThat(Activities.v1Class(null)).isEmpty();
    }

    @Test
    void theStairsAreComparedAcrossTheTwoDatasets() {
        assertThat(Activities.otherDatasetLabels(Activities.classes2019("ABCDE"))).containsExactly(
                java.util.Map.entry("Upstairs", java.util.Optional.of("Stairs")),
                java.util.Map.entry("Downstairs", java.util.Optional.of("Stairs")));
        assertThat(Activities.otherDatasetLabels(Activities.V1_CLASSES))
                .containsExactly(java.util.Map.entry("Stairs", java.util.Optional.empty()));
        assertThat(Activities.otherDatasetLabels(java.util.List.of("Walking", "Sitting"))).isEmpty();
        // A class list that already has both spellings maps nothing: each label is its own class.
        assertThat(Activities.otherDatasetLabels(java.util.List.of("Stairs", "Upstairs"))).isEmpty();
    }
}
