package io.eenet.trainer.model;

import java.util.Locale;

/**
 * Where early exits go along the depth, as in the EENet paper: exit {@code k} (0-based, of
 * {@code n} early exits) goes after the first residual block whose cumulative MACs reach
 * {@code fraction(k, n)} of the full network's MACs.
 */
public enum ExitPlacement {
    /** T(1 - 0.95^(k+1)): many exits early in the network (the paper's default). */
    FINE {
        @Override
        public double fraction(int k, int n) {
            return 1 - Math.pow(0.95, k + 1);
        }
    },
    /** T(1 - 0.8^(k+1)). */
    PARETO {
        @Override
        public double fraction(int k, int n) {
            return 1 - Math.pow(0.8, k + 1);
        }
    },
    /** T(k+1)/(n+1): evenly spread. */
    LINEAR {
        @Override
        public double fraction(int k, int n) {
            return (k + 1) / (double) (n + 1);
        }
    },
    /** T * phi^(k-n), phi the golden ratio (0.618...): the last early exit at 62% of the cost. */
    GOLDEN_RATIO {
        @Override
        public double fraction(int k, int n) {
            double phi = (Math.sqrt(5) - 1) / 2;
            return Math.pow(phi, n - k);
        }
    };

    /** Fraction of the full network's MACs at which early exit {@code k} of {@code n} is placed. */
    public abstract double fraction(int k, int n);

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ExitPlacement byId(String id) {
        for (ExitPlacement p : values()) {
            if (p.id().equalsIgnoreCase(id) || p.name().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown exit placement '%s'; expected one of fine, pareto, linear, golden-ratio".formatted(id));
    }
}
