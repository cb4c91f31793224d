package io.eenet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What the confidence branch sees, against the same statistics in double precision. */
class OutputStatisticsTest {

    @Test
    void marginLogOfTheOtherClassesAndLogEntropyMatchDoublePrecision() {
        Random random = new Random(3);
        float[][] logits = new float[40][10];
        for (int n = 0; n < logits.length; n++) {
            double scale = n < 10 ? 1 : n < 20 ? 5 : 12; // from unsure to very confident
            for (int k = 0; k < 10; k++) {
                logits[n][k] = (float) (scale * random.nextGaussian());
            }
        }
        logits[0] = new float[] {3, 3, 0, 0, 0, 0, 0, 0, 0, 0}; // a tie: margin 0
        logits[1] = new float[] {40, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // p_top is 1 in float: 1 - p_top must not be
        float[][] stats = run(logits);
        for (int n = 0; n < logits.length; n++) {
            double[] expected = reference(logits[n]);
            assertThat(stats[n][0]).as("margin of %d", n).isCloseTo((float) expected[0], within(1e-4f));
            assertThat((double) stats[n][1]).as("log(1 - p_top) of %d", n)
                    .isCloseTo(expected[1], within(1e-4 * Math.max(1, Math.abs(expected[1]))));
            // The entropy is summed in float from log-softmax: for a confident output its top term carries the
            // rounding of log(p_top) (about 1e-7 absolute), so its log is good to ~0.1 below an entropy of 1e-5.
            double tolerance = expected[2] < Math.log(1e-5) ? 0.1 : 2e-3 * Math.max(1, Math.abs(expected[2]));
            assertThat((double) stats[n][2]).as("log entropy of %d", n).isCloseTo(expected[2], within(tolerance));
        }
        assertThat(stats[1][1]).as("finite where p_top rounds to 1").isBetween(-41f, -37f);
        // max-softmax ranks by p_top, that is by -log(1 - p_top): the statistic keeps the order
        assertThat(stats[1][1]).isLessThan(stats[2][1]);
    }

    private static float[][] run(float[][] logits) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            try (TFloat32 out = (TFloat32) s.runner().fetch(ResNetGraph.outputStatistics(tf, tf.constant(logits)))
                    .run().get(0)) {
                float[][] r = new float[logits.length][3];
                for (int n = 0; n < logits.length; n++) {
                    for (int j = 0; j < 3; j++) {
                        r[n][j] = out.getFloat(n, j);
                    }
                }
                return r;
            }
        }
    }

    /** margin, log(1 - p_top), log(entropy) in double, the sums taken over the other classes directly. */
    private static double[] reference(float[] z) {
        int top = 0;
        for (int k = 1; k < z.length; k++) {
            if (z[k] > z[top]) {
                top = k;
            }
        }
        double second = Double.NEGATIVE_INFINITY;
        double max = z[top];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            sum += Math.exp(z[k] - max);
            if (k != top) {
                second = Math.max(second, z[k]);
            }
        }
        double others = 0;
        double entropy = 0;
        for (int k = 0; k < z.length; k++) {
            double p = Math.exp(z[k] - max) / sum;
            if (k != top) {
                others += p;
            }
            entropy -= p > 0 ? p * Math.log(p) : 0;
        }
        return new double[] {max - second, Math.log(others), Math.log(entropy + 1e-30)};
    }
}
