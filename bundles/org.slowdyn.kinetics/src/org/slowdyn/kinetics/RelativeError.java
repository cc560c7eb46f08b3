package org.slowdyn.kinetics;

/**
 * Relative error of a generated value against a reference value, (generated - reference) / reference, with its
 * standard error propagated to first order from the standard errors of both.
 */
public final class RelativeError {
    private final double value;
    private final double error;

    private RelativeError(double value, double error) {
        this.value = value;
        this.error = error;
    }

    public static RelativeError of(double reference, double referenceError, double generated, double generatedError) {
        if (!(reference != 0) || !Double.isFinite(reference) || !Double.isFinite(generated)) {
            return new RelativeError(Double.NaN, Double.NaN);
        }
        double ratio = generated / reference;
        double rr = referenceError / reference, rg = generated == 0 ? 0 : generatedError / generated;
        return new RelativeError(ratio - 1, Math.abs(ratio) * Math.sqrt(rr * rr + rg * rg));
    }

    /** (generated - reference) / reference; NaN if undefined. */
    public double value() {
        return value;
    }

    /** Standard error of {@link #value()}; NaN if unknown. */
    public double error() {
        return error;
    }
}
