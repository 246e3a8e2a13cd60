package io.harstream.trainer.recipe;

import io.harstream.core.features.Channel;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.window.AxesFrame;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    void originalRecipeIsTheSeedsHyperparameters() {
        Recipe original = resolve("--recipe", "original");
        assertThat(original).isEqualTo(Recipe.original());
        assertThat(original.name()).isEqualTo("original");
        NetworkConfig net = original.network(6, 42);
        // the seed's network and optimizer, as NetworkConfig.original() states them
        assertThat(net).isEqualTo(NetworkConfig.original(3, 6, 42));
        assertThat(original.batchSize()).isEqualTo(1024);
        assertThat(original.epochs()).isEqualTo(50);
        assertThat(original.channels()).containsExactly(Channel.X, Channel.Y, Channel.Z);
        assertThat(original.augmentation().enabled()).isFalse();
        assertThat(original.frame()).isEqualTo(AxesFrame.PHONE);
        assertThat(original.validationFraction()).isZero();
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
        Recipe r = resolve("--recipe", "original", "--dropout", "0.3", "--augment", "rotate-long=180,flip");
        assertThat(r.name()).isEqualTo("custom (from original)");
        assertThat(r.dropout()).isEqualTo(0.3);
        assertThat(r.augmentation()).isEqualTo(new Augmentation(0, 180, 0, true, 0, 0));
        assertThat(r.batchSize()).isEqualTo(1024);
        assertThat(r.learningRate()).isEqualTo(0.0025);
        assertThat(resolve("--frame", "phone")).isEqualTo(Recipe.generalizing().withName("custom (from default)")
                .withFrame(AxesFrame.PHONE));
        assertThat(resolve("--epochs", "12")).as("an option given with the recipe's own value keeps its name")
                .isEqualTo(Recipe.generalizing());
        assertThat(resolve("--lr-schedule", "constant").network(5, 1).cosineDecayEpochs()).isZero();
    }

    /** "seed" was the original recipe's name: scripts that use it still work, and are told the new name once. */
    @Test
    void seedIsADeprecatedNameOfTheOriginalRecipe() {
        Trains command = new Trains();
        RecipeOptions options = command.options;
        CommandLine cl = new CommandLine(command);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs("--recipe", "seed", "--epochs", "3");
        assertThat(options.resolve()).isEqualTo(Recipe.original().withEpochs(3).withName("custom (from original)"));
        assertThat(err.toString()).isEqualTo("--recipe seed is deprecated: it is now called 'original' "
                + "(the same hyperparameters)" + System.lineSeparator());

        StringWriter quiet = new StringWriter();
        cl.setErr(new PrintWriter(quiet, true));
        cl.parseArgs("--recipe", "original");
        assertThat(options.resolve()).isEqualTo(Recipe.original());
        assertThat(quiet.toString()).isEmpty();
    }

    /** A command that mixes the options in, as every command that trains does. */
    @CommandLine.Command
    static final class Trains {
        @CommandLine.Mixin
        RecipeOptions options = new RecipeOptions();
    }

    /** --help lists each named recipe's settings as Recipe describes them (stated once, there). */
    @Test
    void helpListsTheRecipesFromTheirDefinition() {
        String help = String.format(RecipeOptions.recipesHelp());
        String words = help.replaceAll("\\s+", " "); // long values wrap onto indented lines
        for (Recipe r : List.of(Recipe.generalizing(), Recipe.original())) {
            assertThat(help).contains("  " + r.name() + ":");
            r.describe().forEach((setting, value) -> {
                if (!setting.equals("recipe")) {
                    assertThat(words).contains(" " + setting + " " + value.replaceAll("\\s+", " ") + " ");
                }
            });
        }
        assertThat(words).contains(" batch size 128 ").contains(" batch size 1024 ");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
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
