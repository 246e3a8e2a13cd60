package io.harstream.core.lstm;

/**
 * tanh as Eigen's float tanh: a rational function of degree 13/6 (an odd polynomial over an even one) of
 * {@code x} clamped to +-{@link #CLAMP}, beyond which float tanh rounds to +-1; absolute error below 3e-7
 * (2.6e-7 at worst, next to the clamp), and below 2e-7 for the sigmoid made from it.
 *
 * <p>The LSTM cell of inference and training ({@link VectorLstmCell}) computes tanh with it, and sigmoid(x)
 * as (1 + tanh(x/2)) / 2, instead of the Vector API's lanewise {@code TANH}/{@code EXP}. Those are a native
 * library in C2's code and {@link Math} in the interpreter's, so results depended on when C2 compiled the
 * kernels: a network's first call differed from later ones in the last bits, and two training runs with the
 * same seeds ended with different models.
 * FMAs, multiplications, a division, min and max give the same bits in every tier. It is also no slower than
 * lanewise {@code TANH} (BENCHMARKS.md#inference-zen4).
 *
 * <p>{@link VectorLstmCell} writes the evaluation out with these constants (a method taking a vector would be
 * boxed where C2 does not inline it); {@link #tanh} is the same evaluation on one float, which
 * {@link ScalarLstmCell} uses.
 */
public final class RationalTanh {

    /** |x| beyond which float tanh is +-1. */
    public static final float CLAMP = 7.90531110763549805f;
    /** Numerator coefficients of x, x^3, ..., x^13. */
    public static final float N1 = 4.89352455891786e-03f;
    public static final float N3 = 6.37261928875436e-04f;
    public static final float N5 = 1.48572235717979e-05f;
    public static final float N7 = 5.12229709037114e-08f;
    public static final float N9 = -8.60467152213735e-11f;
    public static final float N11 = 2.00018790482477e-13f;
    public static final float N13 = -2.76076847742355e-16f;
    /** Denominator coefficients of 1, x^2, x^4, x^6. */
    public static final float D0 = 4.89352518554385e-03f;
    public static final float D2 = 2.26843463243900e-03f;
    public static final float D4 = 1.18534705686654e-04f;
    public static final float D6 = 1.19825839466702e-06f;

    private RationalTanh() {
    }

    /**
     * The kernels' tanh on one float: the same operations in the same order as {@link VectorLstmCell}, so the
     * same bits.
     */
    public static float tanh(float v) {
        float x = Math.min(Math.max(v, -CLAMP), CLAMP);
        float x2 = x * x;
        float num = Math.fma(x2, N13, N11);
        num = Math.fma(num, x2, N9);
        num = Math.fma(num, x2, N7);
        num = Math.fma(num, x2, N5);
        num = Math.fma(num, x2, N3);
        num = Math.fma(num, x2, N1);
        float den = Math.fma(x2, D6, D4);
        den = Math.fma(den, x2, D2);
        den = Math.fma(den, x2, D0);
        return x * num / den;
    }
}
