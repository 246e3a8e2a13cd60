package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.window.AxesFrame;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecipeTest {

    private static Recipe resolve(String... args) {
        RecipeOptions options = new RecipeOptions();
        new CommandLine(options).parseArgs(args);
        return options.resolve();
    }

    @Test
    void seedRecipeIsTheSeedsHyperparameters() {
        Recipe seed = resolve("--recipe", "seed");
        assertThat(seed).isEqualTo(Recipe.seed());
        NetworkConfig net = seed.network(6, 42);
        // the seed's network and optimizer, and the defaults NetworkConfig.seed() has always meant
        assertThat(net).isEqualTo(NetworkConfig.seed(3, 6, 42));
        assertThat(seed.batchSize()).isEqualTo(1024);
        assertThat(seed.epochs()).isEqualTo(50);
        assertThat(seed.channels()).containsExactly(Channel.X, Channel.Y, Channel.Z);
        assertThat(seed.augmentation().enabled()).isFalse();
        assertThat(seed.frame()).isEqualTo(AxesFrame.PHONE);
        assertThat(seed.validationFraction()).isZero();
    }

    @Test
    void defaultIsTheGeneralizingRecipe() {
        Recipe r = resolve();
        assertThat(r).isEqualTo(Recipe.generalizing());
        assertThat(r.name()).isEqualTo("default");
        assertThat(r.channels()).contains(Channel.MAGNITUDE);
        assertThat(r.frame()).isEqualTo(AxesFrame.WALKING);
        assertThat(r.describe()).containsEntry("axes", "walking (each device turned so its gravity while moving is +y)");
        assertThat(r.network(5, 1).cosineDecayEpochs()).isEqualTo(r.epochs());
    }

    @Test
    void overridesChangeOneSettingAndRenameTheRecipe() {
        Recipe r = resolve("--recipe", "seed", "--dropout", "0.3", "--augment", "rotate-long=180,flip");
        assertThat(r.name()).isEqualTo("custom (from seed)");
        assertThat(r.dropout()).isEqualTo(0.3);
        assertThat(r.augmentation()).isEqualTo(new Augmentation(0, 180, 0, true, 0, 0));
        assertThat(r.batchSize()).isEqualTo(1024);
        assertThat(r.learningRate()).isEqualTo(0.0025);
        assertThat(resolve("--frame", "phone")).isEqualTo(new Recipe("custom (from default)",
                Recipe.generalizing().epochs(), Recipe.generalizing().batchSize(), Recipe.generalizing().learningRate(),
                true, Recipe.generalizing().l2(), Recipe.generalizing().hidden(), Recipe.generalizing().dropout(),
                Recipe.generalizing().forgetGateBias(), Recipe.generalizing().gradientClip(),
                Recipe.generalizing().channels(), AxesFrame.PHONE, Recipe.generalizing().augmentation(), 0, 0));
        assertThat(resolve("--lr-schedule", "constant").network(5, 1).cosineDecayEpochs()).isZero();
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> resolve("--recipe", "fancy")).hasMessageContaining("unknown recipe 'fancy'");
        assertThatThrownBy(() -> resolve("--dropout", "1.5")).hasMessageContaining("dropout");
        assertThatThrownBy(() -> resolve("--lr-schedule", "step")).hasMessageContaining("--lr-schedule");
        assertThatThrownBy(() -> resolve("--channels", "x,w")).hasMessageContaining("unknown channel 'w'");
        assertThatThrownBy(() -> resolve("--frame", "pocket")).hasMessageContaining("unknown axes frame 'pocket'");
    }

    @Test
    void cosineDecayStartsAtTheRateAndEndsNearZero() {
        NetworkConfig c = Recipe.generalizing().network(5, 1);
        assertThat(c.learningRateAt(0)).isEqualTo(c.learningRate());
        assertThat(c.learningRateAt(c.cosineDecayEpochs() / 2)).isCloseTo(c.learningRate() / 2,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.learningRateAt(c.cosineDecayEpochs() - 1)).isPositive().isLessThan(c.learningRate() * 0.05);
        assertThat(List.of(c.learningRateAt(1), c.learningRateAt(2))).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }
}
