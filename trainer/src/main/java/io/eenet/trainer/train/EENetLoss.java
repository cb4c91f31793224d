package io.eenet.trainer.train;

import io.eenet.trainer.model.ResNetGraph.ExitHead;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The cost-aware EENet loss. With {@code h_i} the confidence and {@code y_i} the softmax output of
 * exit {@code i}, {@code c_i} its cost and {@code N} the last exit:
 * <pre>
 *   Y_N = y_N,  C_N = 1
 *   Y_i = h_i y_i + (1 - h_i) Y_{i+1}
 *   C_i = h_i c_i + (1 - h_i) C_{i+1}
 *   v1: L = NLL(log Y_0) + lambda mean(C_0)
 *   v2: L = sum_i [NLL(log Y_i) + lambda mean(C_i)]
 *   v0: L = sum_i NLL(log y_i)            (warm-up: trains every classifier, no confidence, no cost)
 *   v4: tag = argmin_i [NLL(y_i) + lambda c_i] per example (no gradient);
 *       L = v0 + sum_{i<N} mean(w_i BCE(h_i, [tag == i]))
 *       with w_i = r_i for examples not tagged i and 1 - r_i for those tagged i, r_i the tagged share
 *   v5: err_i = [argmax y_i != label]; stop_i = [err_i + lambda c_i <= min_{j>i} (err_j + lambda c_j)];
 *       L = v0 + sum_{i<N} mean(BCE(h_i, stop_i))
 * </pre>
 * NLL is averaged over the batch. For a network without early exits both reduce to cross-entropy
 * plus a constant.
 */
public final class EENetLoss {

    /** Added to Y before the log: Y mixes probabilities and can underflow to 0. */
    static final float LOG_EPSILON = 1e-10f;

    private EENetLoss() {}

    /**
     * @param heads logits and confidences of every exit, the last one without confidence
     * @param labels class ids, shape [B]
     * @param costs cost of each exit, the last one 1
     */
    public static Operand<TFloat32> build(Ops tf, List<ExitHead> heads, Operand<TInt32> labels, double[] costs,
            LossVersion version, float lambda) {
        if (costs.length != heads.size()) {
            throw new IllegalArgumentException("one cost per exit: %s costs, %s exits"
                    .formatted(costs.length, heads.size()));
        }
        Ops s = tf.withSubScope("loss_" + version.name().toLowerCase(java.util.Locale.ROOT));
        int last = heads.size() - 1;
        Operand<TFloat32> logitsN = heads.get(last).logits();
        Operand<TInt32> depth = s.constant(numClasses(logitsN));
        Operand<TFloat32> oneHot = s.oneHot(labels, depth, s.constant(1f), s.constant(0f));
        if (version == LossVersion.V0 || version == LossVersion.V4 || version == LossVersion.V5) {
            List<Operand<TFloat32>> perExample = new ArrayList<>();
            List<Operand<TFloat32>> terms = new ArrayList<>();
            for (ExitHead head : heads) {
                Operand<TFloat32> nll = s.math.neg(sumOverClasses(s, s.math.mul(oneHot, s.nn.logSoftmax(head.logits()))));
                perExample.add(nll);
                terms.add(batchMean(s, nll));
            }
            if (version == LossVersion.V4 && heads.size() > 1) {
                terms.addAll(exitTagConfidenceLosses(s, heads, perExample, costs, lambda));
            }
            if (version == LossVersion.V5 && heads.size() > 1) {
                terms.addAll(stopConfidenceLosses(s, heads, labels, costs, lambda));
            }
            return terms.size() == 1 ? terms.get(0) : s.math.addN(terms);
        }
        Operand<TFloat32> one = s.constant(1f);

        // Walk from the last exit back to the first, keeping NLL(Y_i) and mean(C_i) for each.
        List<Operand<TFloat32>> nll = new ArrayList<>();
        List<Operand<TFloat32>> meanCost = new ArrayList<>();
        Operand<TFloat32> y = s.nn.softmax(logitsN);
        Operand<TFloat32> cumulativeY = y;
        Operand<TFloat32> cumulativeC = null; // C_N = 1 for every example
        nll.add(batchMean(s, s.math.neg(sumOverClasses(s, s.math.mul(oneHot, s.nn.logSoftmax(logitsN))))));
        meanCost.add(one);
        for (int i = last - 1; i >= 0; i--) {
            ExitHead head = heads.get(i);
            Operand<TFloat32> h = s.expandDims(head.confidence(), s.constant(1)); // [B,1]
            Operand<TFloat32> notH = s.math.sub(one, head.confidence());
            cumulativeY = s.math.add(s.math.mul(h, s.nn.softmax(head.logits())),
                    s.math.mul(s.math.sub(one, h), cumulativeY));
            Operand<TFloat32> ci = s.constant((float) costs[i]);
            Operand<TFloat32> next = cumulativeC == null ? one : cumulativeC;
            cumulativeC = s.math.add(s.math.mul(head.confidence(), ci), s.math.mul(notH, next));
            Operand<TFloat32> logY = s.math.log(s.math.add(cumulativeY, s.constant(LOG_EPSILON)));
            nll.add(batchMean(s, s.math.neg(sumOverClasses(s, s.math.mul(oneHot, logY)))));
            meanCost.add(batchMean(s, cumulativeC));
        }
        // nll and meanCost are ordered N, N-1, ..., 0.
        Operand<TFloat32> lam = s.constant(lambda);
        if (version == LossVersion.V1) {
            return s.math.add(nll.get(nll.size() - 1), s.math.mul(lam, meanCost.get(meanCost.size() - 1)));
        }
        List<Operand<TFloat32>> terms = new ArrayList<>();
        for (int i = 0; i < nll.size(); i++) {
            terms.add(s.math.add(nll.get(i), s.math.mul(lam, meanCost.get(i))));
        }
        return terms.size() == 1 ? terms.get(0) : s.math.addN(terms);
    }

    /** Class-balanced BCE of each early confidence against "this example's tag is this exit". */
    private static List<Operand<TFloat32>> exitTagConfidenceLosses(Ops s, List<ExitHead> heads,
            List<Operand<TFloat32>> nll, double[] costs, float lambda) {
        List<Operand<TFloat32>> scores = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            scores.add(s.math.add(s.stopGradient(nll.get(i)), s.constant((float) (lambda * costs[i]))));
        }
        // [B, exits] -> the first exit of least score
        Operand<org.tensorflow.types.TInt64> tag = s.math.argMin(s.stack(scores, org.tensorflow.op.core.Stack.axis(1L)),
                s.constant(1));
        Operand<TFloat32> one = s.constant(1f);
        Operand<TFloat32> eps = s.constant(LOG_EPSILON);
        List<Operand<TFloat32>> losses = new ArrayList<>();
        for (int i = 0; i < heads.size() - 1; i++) {
            Operand<TFloat32> target = s.dtypes.cast(s.math.equal(tag, s.constant((long) i)), TFloat32.class);
            Operand<TFloat32> rate = batchMean(s, target);
            Operand<TFloat32> notTarget = s.math.sub(one, target);
            Operand<TFloat32> weight = s.stopGradient(s.math.add(s.math.mul(target, s.math.sub(one, rate)),
                    s.math.mul(notTarget, rate)));
            Operand<TFloat32> h = heads.get(i).confidence();
            Operand<TFloat32> bce = s.math.neg(s.math.add(
                    s.math.mul(target, s.math.log(s.math.add(h, eps))),
                    s.math.mul(notTarget, s.math.log(s.math.add(s.math.sub(one, h), eps)))));
            losses.add(batchMean(s, s.math.mul(weight, bce)));
        }
        return losses;
    }

    /** Plain BCE of each early confidence against "stopping here is as good as the best way on". */
    private static List<Operand<TFloat32>> stopConfidenceLosses(Ops s, List<ExitHead> heads, Operand<TInt32> labels,
            double[] costs, float lambda) {
        Operand<org.tensorflow.types.TInt64> expected = s.dtypes.cast(labels, org.tensorflow.types.TInt64.class);
        List<Operand<TFloat32>> scores = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            Operand<TFloat32> wrong = s.dtypes.cast(s.math.notEqual(s.math.argMax(heads.get(i).logits(), s.constant(1)),
                    expected), TFloat32.class);
            scores.add(s.math.add(wrong, s.constant((float) (lambda * costs[i]))));
        }
        Operand<TFloat32> one = s.constant(1f);
        Operand<TFloat32> eps = s.constant(LOG_EPSILON);
        List<Operand<TFloat32>> losses = new ArrayList<>();
        Operand<TFloat32> bestOn = scores.get(heads.size() - 1); // min over j > i, from the back
        for (int i = heads.size() - 2; i >= 0; i--) {
            Operand<TFloat32> target = s.stopGradient(s.dtypes.cast(s.math.lessEqual(scores.get(i), bestOn),
                    TFloat32.class));
            Operand<TFloat32> h = heads.get(i).confidence();
            Operand<TFloat32> bce = s.math.neg(s.math.add(
                    s.math.mul(target, s.math.log(s.math.add(h, eps))),
                    s.math.mul(s.math.sub(one, target), s.math.log(s.math.add(s.math.sub(one, h), eps)))));
            losses.add(0, batchMean(s, bce));
            bestOn = s.math.minimum(bestOn, scores.get(i));
        }
        return losses;
    }

    private static int numClasses(Operand<TFloat32> logits) {
        long k = logits.shape().get(logits.shape().numDimensions() - 1);
        if (k <= 0) {
            throw new IllegalArgumentException("logits need a static class dimension, got %s"
                    .formatted(logits.shape()));
        }
        return (int) k;
    }

    private static Operand<TFloat32> sumOverClasses(Ops s, Operand<TFloat32> x) {
        return s.reduceSum(x, s.constant(1));
    }

    private static Operand<TFloat32> batchMean(Ops s, Operand<TFloat32> x) {
        return s.math.mean(x, s.constant(0));
    }
}
