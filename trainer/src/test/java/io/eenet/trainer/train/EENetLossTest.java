package io.eenet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.trainer.model.ResNetGraph.ExitHead;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The losses on tiny batches against values computed by hand and by an independent Java version. */
class EENetLossTest {

    /**
     * One example, two classes, label 0. Exit 0: logits (0, 0) so y0 = (.5, .5), confidence .5, cost
     * .25. Exit 1 (last): logits (ln 3, 0) so y1 = (.75, .25). Then Y0 = .5*.5 + .5*.75 = .625 and
     * C0 = .5*.25 + .5*1 = .625.
     */
    @Test
    void handComputedSingleExample() {
        float[][][] logits = {{{0f, 0f}}, {{(float) Math.log(3), 0f}}};
        float[][] conf = {{0.5f}};
        int[] labels = {0};
        double[] costs = {0.25, 1.0};
        assertThat(loss(logits, conf, labels, costs, LossVersion.V1, 1f))
                .isCloseTo(-Math.log(0.625) + 0.625, within(1e-6));
        assertThat(loss(logits, conf, labels, costs, LossVersion.V2, 1f))
                .isCloseTo((-Math.log(0.75) + 1.0) + (-Math.log(0.625) + 0.625), within(1e-6));
        assertThat(loss(logits, conf, labels, costs, LossVersion.V0, 1f))
                .isCloseTo(-Math.log(0.5) - Math.log(0.75), within(1e-6));
        // v4: scores NLL + lambda c are ln2 + .25 (exit 0) and -ln(.75) + 1 (exit 1): the tag is exit 0,
        // every example is tagged there (rate 1), so the weight of the tagged example is 1 - 1 = 0
        assertThat(loss(logits, conf, labels, costs, LossVersion.V4, 1f))
                .isCloseTo(-Math.log(0.5) - Math.log(0.75), within(1e-6));
        // v5: exit 0's tie goes to class 0, the label: it is right, so stop_0 = 1 and its BCE is -ln .5
        assertThat(loss(logits, conf, labels, costs, LossVersion.V5, 1f))
                .isCloseTo(-Math.log(0.5) - Math.log(0.75) - Math.log(0.5), within(1e-6));
        // lambda scales only the cost terms
        assertThat(loss(logits, conf, labels, costs, LossVersion.V1, 0.5f))
                .isCloseTo(-Math.log(0.625) + 0.5 * 0.625, within(1e-6));
    }

    /**
     * Loss v5 by hand: two examples, two classes, costs .2/.5/1. Example 0 (label 0) is right at exits
     * 0 and 2, wrong at 1; example 1 (label 1) is right at exit 1 only. Each logit pair is (1, 0) or
     * (0, 1), so a right exit has NLL -ln(e/(1+e)) and a wrong one -ln(1/(1+e)).
     */
    @Test
    void stopTargetsByHand() {
        float[][][] logits = {{{1f, 0f}, {1f, 0f}}, {{0f, 1f}, {0f, 1f}}, {{1f, 0f}, {1f, 0f}}};
        float[][] conf = {{0.8f, 0.3f}, {0.6f, 0.9f}};
        int[] labels = {0, 1};
        double[] costs = {0.2, 0.5, 1.0};
        double right = -Math.log(Math.E / (1 + Math.E));
        double wrong = -Math.log(1 / (1 + Math.E));
        double v0 = 3 * (right + wrong) / 2;
        // lambda .5: scores (err + lambda c) are (.1, 1.25, .5) and (1.1, .25, 1.5): stop_0 = (1, 0) and
        // stop_1 = (0, 1): stop where right, go on where a later exit is right
        assertThat(loss(logits, conf, labels, costs, LossVersion.V5, 0.5f)).isCloseTo(v0
                + (-Math.log(0.8) - Math.log(1 - 0.3)) / 2 + (-Math.log(1 - 0.6) - Math.log(0.9)) / 2, within(1e-5));
        // lambda 4: scores (.8, 3, 4) and (1.8, 2, 5): compute is dear enough that stopping wrong early
        // beats going on to a right answer, so every target is 1
        assertThat(loss(logits, conf, labels, costs, LossVersion.V5, 4f)).isCloseTo(v0
                + (-Math.log(0.8) - Math.log(0.3)) / 2 + (-Math.log(0.6) - Math.log(0.9)) / 2, within(1e-5));
    }

    @Test
    void threeExitsBatchOfFourMatchesTheRecursion() {
        float[][][] logits = {
            {{2f, -1f, 0.5f}, {0.1f, 0.2f, 0.3f}, {-1f, 3f, 0f}, {0f, 0f, 4f}},
            {{1f, 0f, -2f}, {0.5f, 2f, 0.1f}, {0f, 1f, 1f}, {2f, 2f, 0f}},
            {{3f, 0f, 0f}, {0f, 3f, 0f}, {0f, 0f, 3f}, {1f, 0f, 2f}}};
        float[][] conf = {{0.9f, 0.2f, 0.6f, 0.1f}, {0.3f, 0.7f, 0.5f, 0.95f}};
        int[] labels = {0, 1, 2, 2};
        double[] costs = {0.1, 0.3, 1.0};
        for (LossVersion v : LossVersion.values()) {
            assertThat(loss(logits, conf, labels, costs, v, 0.7f))
                    .as("loss %s", v)
                    .isCloseTo(reference(logits, conf, labels, costs, v, 0.7), within(1e-5));
        }
    }

    /** Plain-Java version of the definitions in {@link EENetLoss}'s Javadoc. */
    private static double reference(float[][][] logits, float[][] conf, int[] labels, double[] costs,
            LossVersion version, double lambda) {
        int exits = logits.length;
        int batch = labels.length;
        double[] nll = new double[exits];
        double[] meanCost = new double[exits];
        double v0 = 0;
        for (int n = 0; n < batch; n++) {
            double[][] y = new double[exits][];
            for (int e = 0; e < exits; e++) {
                y[e] = softmax(logits[e][n]);
                v0 -= Math.log(y[e][labels[n]]) / batch;
            }
            double[] cumY = y[exits - 1];
            double cumC = 1;
            nll[exits - 1] -= Math.log(cumY[labels[n]]) / batch;
            meanCost[exits - 1] += 1.0 / batch;
            for (int e = exits - 2; e >= 0; e--) {
                double h = conf[e][n];
                double[] next = new double[cumY.length];
                for (int k = 0; k < next.length; k++) {
                    next[k] = h * y[e][k] + (1 - h) * cumY[k];
                }
                cumY = next;
                cumC = h * costs[e] + (1 - h) * cumC;
                nll[e] -= Math.log(cumY[labels[n]]) / batch;
                meanCost[e] += cumC / batch;
            }
        }
        double v4 = v0;
        if (version == LossVersion.V4) {
            int[] tag = new int[batch];
            for (int n = 0; n < batch; n++) {
                double best = Double.POSITIVE_INFINITY;
                for (int e = 0; e < exits; e++) {
                    double score = -Math.log(softmax(logits[e][n])[labels[n]]) + lambda * costs[e];
                    if (score < best) {
                        best = score;
                        tag[n] = e;
                    }
                }
            }
            for (int e = 0; e < exits - 1; e++) {
                double rate = 0;
                for (int n = 0; n < batch; n++) {
                    rate += (tag[n] == e ? 1.0 : 0.0) / batch;
                }
                for (int n = 0; n < batch; n++) {
                    boolean t = tag[n] == e;
                    double h = conf[e][n];
                    double w = t ? 1 - rate : rate;
                    v4 += w * -(t ? Math.log(h) : Math.log(1 - h)) / batch;
                }
            }
        }
        double v5 = v0;
        if (version == LossVersion.V5) {
            for (int n = 0; n < batch; n++) {
                for (int e = 0; e < exits - 1; e++) {
                    double here = wrong(logits[e][n], labels[n]) + lambda * costs[e];
                    double bestOn = Double.POSITIVE_INFINITY;
                    for (int j = e + 1; j < exits; j++) {
                        bestOn = Math.min(bestOn, wrong(logits[j][n], labels[n]) + lambda * costs[j]);
                    }
                    double h = conf[e][n];
                    v5 -= (here <= bestOn ? Math.log(h) : Math.log(1 - h)) / batch;
                }
            }
        }
        return switch (version) {
            case V0 -> v0;
            case V4 -> v4;
            case V5 -> v5;
            case V1 -> nll[0] + lambda * meanCost[0];
            case V2 -> {
                double sum = 0;
                for (int e = 0; e < exits; e++) {
                    sum += nll[e] + lambda * meanCost[e];
                }
                yield sum;
            }
        };
    }

    /** 1 if the first largest logit is not the label's, else 0. */
    private static double wrong(float[] logits, int label) {
        int best = 0;
        for (int k = 1; k < logits.length; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        return best == label ? 0 : 1;
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private static double loss(float[][][] logits, float[][] conf, int[] labels, double[] costs, LossVersion v,
            float lambda) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<ExitHead> heads = new ArrayList<>();
            for (int e = 0; e < logits.length; e++) {
                Operand<TFloat32> c = e < logits.length - 1 ? tf.constant(conf[e]) : null;
                heads.add(new ExitHead(tf.constant(logits[e]), c));
            }
            Operand<TFloat32> loss = EENetLoss.build(tf, heads, tf.constant(labels), costs, v, lambda);
            try (TFloat32 t = (TFloat32) s.runner().fetch(loss).run().get(0)) {
                return t.getFloat();
            }
        }
    }
}
