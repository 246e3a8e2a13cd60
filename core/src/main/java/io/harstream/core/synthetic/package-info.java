/**
 * A deterministic stand-in for the WISDM v1.1 raw file ({@link io.harstream.core.synthetic.SyntheticGenerator},
 * sized by a {@link io.harstream.core.synthetic.SyntheticSpec}), so the demo and the tests run without the real data.
 * It simulates a phone in a trouser pocket (gait, posture, how each person carries the phone, sensor noise) rather
 * than labelled noise, so held-out people are hard for the same reasons as on real data.
 *
 * <p>Contracts: the output is the v1.1 line format, read by {@code data.WisdmV1Reader} like a real file. The same spec
 * gives byte-identical output on the same Java feature release, and one user's data does not depend on how many users
 * are written. Tests that train on synthetic data and the demo model's figures (BENCHMARKS.md#demo-model) rest on
 * this, so a change to the signal model changes them.
 *
 * <p>More: docs/trainer.md#data.
 */
package io.harstream.core.synthetic;
