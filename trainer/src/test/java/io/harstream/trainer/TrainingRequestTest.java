package io.harstream.trainer;

import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.recipe.Recipe;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingRequestTest {

    @Test
    void theBuilderStartsFromTheDefaults() {
        TrainingRequest r = TrainingRequest.defaults();
        assertThat(r.data()).isEqualTo(DataSource.SYNTHETIC);
        assertThat(r.data().syntheticUsers()).isEqualTo(12);
        assertThat(r.data().syntheticSeconds()).as("what the demo model's figures were measured with").isEqualTo(60);
        assertThat(r.split()).isEqualTo(Split.Method.USER);
        assertThat(r.testFraction()).isEqualTo(0.2);
        assertThat(r.testUsers()).isEmpty();
        assertThat(r.seed()).isEqualTo(42);
        assertThat(r.initSeed()).isNull();
        assertThat(r.trainingSeed()).isEqualTo(42);
        assertThat(r.window()).isEqualTo(WindowSpec.DEFAULT);
        assertThat(r.recipe()).isEqualTo(Recipe.generalizing());
        assertThat(r.crossValidationFolds()).isZero();
        assertThat(r.baselineTrees()).isEqualTo(100);
        assertThat(r.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.backprop()).isEqualTo(Backprop.HARSTREAM);
        assertThat(r.trainEvalWindows()).isEqualTo(4096);
        assertThat(r.out()).isEqualTo(Path.of("out/model"));
    }

    @Test
    void settingsChangeOneComponentAndInitSeedOnlyTheTrainingSeed() {
        TrainingRequest r = TrainingRequest.builder().seed(7).initSeed(8L).out(Path.of("elsewhere")).build();
        assertThat(r.seed()).isEqualTo(7);
        assertThat(r.trainingSeed()).isEqualTo(8);
        assertThat(r.withInitSeed(null).trainingSeed()).isEqualTo(7);
        assertThat(r.withOut(Path.of("out/model"))).isEqualTo(TrainingRequest.defaults().withSeed(7).withInitSeed(8L));
    }

    @Test
    void testUsersAreCopied() {
        List<String> users = new ArrayList<>(List.of("3"));
        TrainingRequest r = TrainingRequest.builder().testUsers(users).build();
        users.add("4");
        assertThat(r.testUsers()).containsExactly("3");
        assertThat(TrainingRequest.builder().testUsers(null).build().testUsers()).isEmpty();
    }

    @Test
    void whatCannotRunIsRefusedNamingTheOption() {
        TrainingRequest d = TrainingRequest.defaults();
        assertThatThrownBy(() -> d.withTestFraction(0)).isInstanceOf(TrainerException.class)
                .hasMessage("--test-fraction must be between 0 and 1, got 0.0");
        assertThatThrownBy(() -> d.withTestFraction(Double.NaN)).hasMessageContaining("--test-fraction");
        assertThatThrownBy(() -> d.withWorkers(0)).isInstanceOf(TrainerException.class)
                .hasMessageContaining("--workers must be positive");
        assertThatThrownBy(() -> d.withTrainEvalWindows(0)).hasMessageContaining("--train-eval-windows");
        assertThatThrownBy(() -> d.withBaselineTrees(-1)).hasMessageContaining("--baseline-trees");
        assertThatThrownBy(() -> d.withCrossValidationFolds(-2)).hasMessageContaining("--cv not negative");
        assertThatThrownBy(() -> d.withCrossValidationFolds(1)).isInstanceOf(TrainerException.class)
                .hasMessage("--cv needs at least 2 folds (or 0 for none), got 1");
        assertThat(d.withCrossValidationFolds(2).crossValidationFolds()).isEqualTo(2);
        assertThatThrownBy(() -> d.withRecipe(null)).isInstanceOf(NullPointerException.class).hasMessage("recipe");
        assertThatThrownBy(() -> d.withOut(null)).hasMessage("out");
    }
}
