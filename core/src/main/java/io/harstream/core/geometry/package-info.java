/**
 * Rotations of 3-vectors in the phone's axes ({@link io.harstream.core.geometry.Rotations}: x across the screen,
 * y along the long side, z out of the screen; a rotation is a row-major {@code double[9]}). The synthetic generator
 * turns its simulated phones with them and the trainer's augmentation turns training windows. Pure functions: every
 * call returns a new array.
 *
 * <p>More: docs/trainer.md#recipes (the augmentation's rotations).
 */
package io.harstream.core.geometry;
