package io.harstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private static final List<String> ABC = List.of("A", "B", "C");

    /**
     * Hand-computed example, rows actual, columns predicted.
     * <pre>
     *        A  B  C | support
     *   A    5  2  1 |  8
     *   B    1  6  0 |  7
     *   C    0  3  4 |  7
     *   pred 6 11  5 | 22, correct 15
     * </pre>
     * F1 = 2tp / (2tp + fp + fn): A 10/14, B 12/18, C 8/12.
     */
    private static ConfusionMatrix example() {
        return ConfusionMatrix.of(ABC, new long[][] {{5, 2, 1}, {1, 6, 0}, {0, 3, 4}});
    }

    @Test
    void totalsAndAccuracy() {
        ConfusionMatrix cm = example();
        assertThat(cm.total()).isEqualTo(22);
        assertThat(cm.correct()).isEqualTo(15);
        assertThat(cm.accuracy()).isCloseTo(15.0 / 22, within(1e-12));
        assertThat(cm.support(0)).isEqualTo(8);
        assertThat(cm.predictedCount(1)).isEqualTo(11);
    }

    @Test
    void perClassPrecisionRecallF1() {
        List<ClassMetrics> m = example().perClass();
        assertThat(m).extracting(ClassMetrics::name).containsExactly("A", "B", "C");
        assertThat(m).extracting(ClassMetrics::support).containsExactly(8L, 7L, 7L);
        assertThat(m.get(0).precision()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(m.get(0).recall()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(m.get(0).f1()).isCloseTo(10.0 / 14, within(1e-12));
        assertThat(m.get(1).precision()).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(m.get(1).recall()).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(m.get(1).f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.get(2).precision()).isCloseTo(4.0 / 5, within(1e-12));
        assertThat(m.get(2).recall()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(m.get(2).f1()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void macroF1IsTheMeanOverClasses() {
        assertThat(example().macroF1()).isCloseTo((10.0 / 14 + 2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void rowNormalizedGivesSharesOfTheActualRow() {
        double[][] r = example().rowNormalized();
        assertThat(r[0]).containsExactly(new double[] {5.0 / 8, 2.0 / 8, 1.0 / 8}, within(1e-12));
        assertThat(r[2]).containsExactly(new double[] {0, 3.0 / 7, 4.0 / 7}, within(1e-12));
    }

    @Test
    void classNeverPredictedAndNeverPresentIsZeroAndLeftOutOfMacroF1() {
        ConfusionMatrix cm = ConfusionMatrix.of(ABC, new long[][] {{3, 1, 0}, {0, 2, 0}, {0, 0, 0}});
        ClassMetrics c = cm.perClass().get(2);
        assertThat(c.precision()).isZero();
        assertThat(c.recall()).isZero();
        assertThat(c.f1()).isZero();
        assertThat(c.support()).isZero();
        // A: P 1, R 3/4, F1 6/7; B: P 2/3, R 1, F1 4/5; C (support 0) is not averaged in
        assertThat(cm.macroF1()).isCloseTo((6.0 / 7 + 4.0 / 5) / 2, within(1e-12));
        assertThat(cm.rowNormalized()[2]).containsExactly(0, 0, 0);
    }

    @Test
    void classPredictedButAbsentHasZeroPrecisionAndRecall() {
        ConfusionMatrix cm = ConfusionMatrix.of(ABC, new long[][] {{2, 0, 1}, {0, 2, 0}, {0, 0, 0}});
        ClassMetrics c = cm.perClass().get(2);
        assertThat(c.precision()).isZero();
        assertThat(c.recall()).isZero();
        assertThat(c.f1()).isZero();
        // its false positive still costs A recall: A F1 = 4/5, B F1 = 1
        assertThat(cm.macroF1()).isCloseTo((0.8 + 1.0) / 2, within(1e-12));
    }

    @Test
    void emptyMatrixIsAllZeros() {
        ConfusionMatrix cm = new ConfusionMatrix(ABC);
        assertThat(cm.total()).isZero();
        assertThat(cm.accuracy()).isZero();
        assertThat(cm.macroF1()).isZero();
        assertThat(cm.perClass()).allSatisfy(m -> {
            assertThat(m.precision()).isZero();
            assertThat(m.recall()).isZero();
            assertThat(m.f1()).isZero();
        });
        assertThat(cm.weakestPairs(3)).isEmpty();
        assertThat(new ConfusionMatrix(List.of()).accuracy()).isZero();
    }

    @Test
    void addCountsCells() {
        ConfusionMatrix cm = new ConfusionMatrix(ABC);
        cm.add(0, 0);
        cm.add(0, 0);
        cm.add(2, 1);
        assertThat(cm.count(0, 0)).isEqualTo(2);
        assertThat(cm.count(2, 1)).isEqualTo(1);
        assertThat(cm.total()).isEqualTo(3);
    }

    @Test
    void mergeSumsCellsAndLeavesInputsAlone() {
        ConfusionMatrix a = example();
        ConfusionMatrix b = ConfusionMatrix.of(ABC, new long[][] {{1, 0, 0}, {0, 1, 2}, {3, 0, 1}});
        ConfusionMatrix sum = a.merge(b);
        assertThat(sum.counts()).isEqualTo(new long[][] {{6, 2, 1}, {1, 7, 2}, {3, 3, 5}});
        assertThat(sum.total()).isEqualTo(a.total() + b.total());
        assertThat(a).isEqualTo(example());
        assertThat(sum.classes()).isEqualTo(ABC);
    }

    @Test
    void mergeRejectsDifferentClasses() {
        ConfusionMatrix other = new ConfusionMatrix(List.of("A", "C", "B"));
        assertThatThrownBy(() -> example().merge(other)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weakestPairsAreTheLargestOffDiagonalCells() {
        List<ConfusionMatrix.Confusion> top = example().weakestPairs(3);
        assertThat(top).containsExactly(
                new ConfusionMatrix.Confusion("C", "B", 3, 3.0 / 7),
                new ConfusionMatrix.Confusion("A", "B", 2, 2.0 / 8),
                // tie on count 1: B->A (1/7 of B) beats A->C (1/8 of A)
                new ConfusionMatrix.Confusion("B", "A", 1, 1.0 / 7));
        assertThat(example().weakestPairs(10)).hasSize(4);
        assertThat(example().weakestPairs(0)).isEmpty();
        assertThatThrownBy(() -> example().weakestPairs(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofValidatesShapeAndSigns() {
        assertThatThrownBy(() -> ConfusionMatrix.of(ABC, new long[][] {{1, 2}, {3, 4}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.of(ABC, new long[][] {{1, 2, 3}, {4, 5}, {6, 7, 8}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.of(ABC, new long[][] {{1, 2, 3}, {4, -5, 6}, {7, 8, 9}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfusionMatrix(List.of("A", "A")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofCopiesAndCountsReturnsACopy() {
        long[][] raw = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        ConfusionMatrix cm = ConfusionMatrix.of(ABC, raw);
        raw[0][0] = 99;
        cm.counts()[1][1] = 99;
        assertThat(cm.count(0, 0)).isEqualTo(1);
        assertThat(cm.count(1, 1)).isEqualTo(1);
    }
}
