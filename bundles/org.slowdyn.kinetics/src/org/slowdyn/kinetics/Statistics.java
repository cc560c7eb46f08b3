package org.slowdyn.kinetics;

import java.util.function.IntToDoubleFunction;

final class Statistics {
    private Statistics() {
    }

    /** Sample standard deviation of the finite values among {@code count}; NaN if fewer than two are finite. */
    static double standardDeviation(IntToDoubleFunction sample, int count) {
        double sum = 0, sum2 = 0;
        int finite = 0;
        for (int r = 0; r < count; r++) {
            double v = sample.applyAsDouble(r);
            if (Double.isFinite(v)) {
                sum += v;
                sum2 += v * v;
                finite++;
            }
        }
        if (finite < 2) {
            return Double.NaN;
        }
        double mean = sum / finite;
        return Math.sqrt(Math.max(0, (sum2 - finite * mean * mean) / (finite - 1)));
    }
}
