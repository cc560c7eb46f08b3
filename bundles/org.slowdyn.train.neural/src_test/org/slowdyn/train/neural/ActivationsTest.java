package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The vectorised activations against {@link Math}'s, over their whole range, at the offsets the callers use. */
class ActivationsTest {
    private static float[] grid(double from, double to, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (from + (to - from) * i / (n - 1));
        }
        return x;
    }

    @Test
    void tanhAndSigmoidAreWithinFloatRoundingOfMath() {
        float[] x = grid(-40, 40, 400_001);
        float[] t = x.clone(), s = x.clone();
        Activations.tanh(t, 3, x.length - 3); // at an offset, as for a gate block; elements before it untouched
        Activations.sigmoid(s, 0, x.length);
        double worstTanh = 0, worstSigmoid = 0;
        for (int i = 3; i < x.length; i++) {
            worstTanh = Math.max(worstTanh, Math.abs(t[i] - Math.tanh(x[i])));
            assertEquals(Activations.tanh(x[i]), t[i], 0f, "the scalar and the array form agree");
        }
        for (int i = 0; i < x.length; i++) {
            worstSigmoid = Math.max(worstSigmoid, Math.abs(s[i] - 1 / (1 + Math.exp(-x[i]))));
        }
        assertTrue(worstTanh < 5e-7, "tanh: " + worstTanh);
        assertTrue(worstSigmoid < 3e-7, "sigmoid: " + worstSigmoid);
        for (int i = 0; i < 3; i++) {
            assertEquals(x[i], t[i], "element " + i + " before the offset");
        }
        assertEquals(0f, Activations.tanh(0f));
        float[] half = { 0f };
        Activations.sigmoid(half, 0, 1);
        assertEquals(0.5f, half[0]);
    }

    @Test
    void expOfNonPositiveValuesIsWithinItsStatedError() {
        float[] x = grid(-30, 0, 300_001);
        float[] e = x.clone();
        Activations.expNonPositive(e, 0, e.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
        }
        assertTrue(worst < 9e-6, "relative error " + worst);
        assertEquals(1f, e[e.length - 1], 1e-6f, "exp(0)");
        float[] below = { -1e9f, -100f };
        Activations.expNonPositive(below, 0, 2);
        assertTrue(below[0] >= 0 && below[0] < 1e-13 && below[1] < 1e-13, "far below: about e^-30 or less");
    }
}
