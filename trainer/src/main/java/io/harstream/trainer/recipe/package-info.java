/**
 * Training recipes: a {@link io.harstream.trainer.recipe.Recipe} is every setting of how a network is trained
 * (optimizer, regularization, input channels and axes frame, the {@link io.harstream.trainer.recipe.Augmentation} of
 * training windows, epochs and how the kept epoch is chosen); {@link io.harstream.trainer.recipe.RecipeOptions} are
 * the command-line options that pick one and change its settings.
 *
 * <p>Contracts: two recipes are named, and their settings are stated once, in {@code Recipe}:
 * {@link io.harstream.trainer.recipe.Recipe#generalizing() default}, what {@code train} uses, and
 * {@link io.harstream.trainer.recipe.Recipe#original() original}, the seed's hyperparameters exactly, kept to compare
 * against ({@code --recipe seed}, its earlier name, must keep working). A named recipe with a setting changed is
 * called {@code custom (from X)}. The architecture family is fixed, so core's LSTM engine runs every recipe; only the
 * width varies. {@link io.harstream.trainer.recipe.Recipe#describe()} is what the bundle and the report record and
 * what {@code --help} lists. Recipes and augmentations are immutable; an augmentation draws from the generator its
 * caller passes.
 *
 * <p>More: docs/trainer.md#recipes; why the default is as it is: BENCHMARKS.md#walking-frame and the entries it links.
 */
package io.harstream.trainer.recipe;
