package io.eenet.trainer.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the operations of an {@link Architecture}: stem, residual blocks, early-exit heads and the
 * final classifier, NHWC. Training, evaluation and each exported stage are built by this one class,
 * so they compute the same function.
 */
public final class ResNetGraph {

    /** Batch-norm momentum of the moving statistics (PyTorch's 0.1). */
    public static final float BN_MOMENTUM = 0.1f;

    public static final float BN_EPSILON = 1e-5f;

    private final Ops tf;
    private final Architecture arch;
    private final Parameters params;
    private final boolean training;
    private final List<Op> statisticUpdates = new ArrayList<>();

    /**
     * @param training batch norm on batch statistics, recording updates of the moving statistics
     *     ({@link #statisticUpdates()}); otherwise on the moving statistics
     */
    public ResNetGraph(Ops tf, Architecture arch, Parameters params, boolean training) {
        this.tf = tf;
        this.arch = arch;
        this.params = params;
        this.training = training;
    }

    /** Pixels in [0,1] to the network's input: {@code (x - mean) / std}, one value per channel. */
    public Operand<TFloat32> normalize(Operand<TFloat32> pixels, float[] mean, float[] std) {
        Ops s = tf.withSubScope("normalize");
        float[] inverseStd = new float[std.length];
        for (int i = 0; i < std.length; i++) {
            inverseStd[i] = 1f / std[i];
        }
        return s.math.mul(s.math.sub(pixels, s.constant(mean)), s.constant(inverseStd));
    }

    public Operand<TFloat32> stem(Operand<TFloat32> x) {
        Ops s = tf.withSubScope("stem");
        Operand<TFloat32> y = conv(s, "stem/conv", x, 3, arch.channels(), arch.baseWidth(), arch.stemStride());
        return s.nn.relu(batchNorm(s, "stem/bn", y, arch.baseWidth()));
    }

    public Operand<TFloat32> block(int b, Operand<TFloat32> x) {
        String p = "block" + b;
        Ops s = tf.withSubScope(p);
        int in = arch.blockInChannels(b);
        int out = arch.blockOutChannels(b);
        int stride = arch.blockStride(b);
        Operand<TFloat32> y = conv(s, p + "/conv1", x, 3, in, out, stride);
        y = s.nn.relu(batchNorm(s, p + "/bn1", y, out));
        y = conv(s, p + "/conv2", y, 3, out, out, 1);
        y = batchNorm(s, p + "/bn2", y, out);
        Operand<TFloat32> shortcut = x;
        if (arch.blockHasProjection(b)) {
            shortcut = batchNorm(s, p + "/proj_bn", conv(s, p + "/proj", x, 1, in, out, stride), out);
        }
        return s.nn.relu(s.math.add(y, shortcut));
    }

    /** Stem (for stage 0) and the blocks of one model-package stage, without its head. */
    public Operand<TFloat32> stageBody(int stage, Operand<TFloat32> x) {
        Operand<TFloat32> y = stage == 0 ? stem(x) : x;
        for (int b = arch.stageFirstBlock(stage); b <= arch.stageLastBlock(stage); b++) {
            y = block(b, y);
        }
        return y;
    }

    /**
     * Logits and confidence (sigmoid) of early exit {@code i} on the map {@code x}: average pool to
     * the architecture's exit grid, flatten, a linear classifier; and the confidence branch, a linear
     * unit with parameters of its own on {@link #outputStatistics statistics of the classifier's
     * output}, without gradient into the classifier: it learns when to stop, not what to predict. Why
     * these inputs and not the pooled features: {@code docs/training.md}.
     */
    public ExitHead earlyExit(int i, Operand<TFloat32> x) {
        String p = "exit" + i;
        Ops s = tf.withSubScope(p);
        int features = arch.exitFeatures(i);
        long window = arch.exitPoolWindow(i);
        Operand<TFloat32> pooled = window == 1 ? x
                : s.nn.avgPool(x, List.of(1L, window, window, 1L), List.of(1L, window, window, 1L), "SAME");
        Operand<TFloat32> flat = s.reshape(pooled, s.constant(new long[] {-1, features}));
        Operand<TFloat32> logits = dense(s, p + "/classifier", flat, features, arch.classes());
        Operand<TFloat32> confidenceLogit = dense(s, p + "/confidence", s.stopGradient(outputStatistics(s, logits)),
                Architecture.CONFIDENCE_STATISTICS, 1);
        Operand<TFloat32> confidence = s.reshape(s.math.sigmoid(confidenceLogit), s.constant(new long[] {-1}));
        return new ExitHead(logits, confidence);
    }

    /**
     * How sure a classifier is, on scales where a linear unit can tell 0.99 from 0.99999
     * ({@code [B, 3]}): the margin between its two largest logits, {@code log(1 - p_top)} (the log of
     * the probability it gives the other classes; max-softmax ranks examples by this alone) and the log
     * of its entropy. Computed without forming {@code 1 - p_top}, which is 0 in float for confident
     * outputs: with {@code z1 >= z2} the two largest logits, {@code m = z1 - z2} and
     * {@code S = sum over k != top of exp(z_k - z2)} (at least 1),
     * {@code log(1 - p_top) = -m + log(S) - log(1 + S exp(-m))}.
     */
    public static Operand<TFloat32> outputStatistics(Ops s, Operand<TFloat32> logits) {
        int classes = (int) logits.shape().get(1);
        TopK<TFloat32, TInt32> top = s.nn.topK(logits, s.constant(classes), new TopK.Options[0]);
        Operand<TFloat32> sorted = top.values();
        Operand<TFloat32> z1 = s.slice(sorted, s.constant(new int[] {0, 0}), s.constant(new int[] {-1, 1}));
        Operand<TFloat32> z2 = s.slice(sorted, s.constant(new int[] {0, 1}), s.constant(new int[] {-1, 1}));
        Operand<TFloat32> rest = s.slice(sorted, s.constant(new int[] {0, 1}), s.constant(new int[] {-1, -1}));
        Operand<TFloat32> margin = s.math.sub(z1, z2);
        Operand<TFloat32> sumRest = s.reduceSum(s.math.exp(s.math.sub(rest, z2)), s.constant(new int[] {1}),
                ReduceSum.keepDims(true));
        Operand<TFloat32> logOthers = s.math.sub(s.math.sub(s.math.log(sumRest), margin),
                s.math.log1p(s.math.mul(sumRest, s.math.exp(s.math.neg(margin)))));
        Operand<TFloat32> logProbs = s.nn.logSoftmax(logits);
        Operand<TFloat32> entropy = s.math.neg(s.reduceSum(s.math.mul(s.math.exp(logProbs), logProbs),
                s.constant(new int[] {1}), ReduceSum.keepDims(true)));
        Operand<TFloat32> logEntropy = s.math.log(s.math.add(s.math.maximum(entropy, s.constant(0f)),
                s.constant(ENTROPY_FLOOR)));
        return s.concat(List.of(margin, logOthers, logEntropy), s.constant(1));
    }

    /** Added to the entropy before its log: a fully confident output has entropy 0 in float. */
    static final float ENTROPY_FLOOR = 1e-30f;

    /** Logits of the network's own classifier. */
    public Operand<TFloat32> finalLogits(Operand<TFloat32> x) {
        Ops s = tf.withSubScope("final");
        int c = arch.blockOutChannels(arch.numBlocks() - 1);
        return dense(s, "final/classifier", globalAveragePool(s, x), c, arch.classes());
    }

    /** Logits and confidence of every exit, the last exit's confidence being null. */
    public List<ExitHead> forward(Operand<TFloat32> x) {
        List<ExitHead> heads = new ArrayList<>();
        Operand<TFloat32> y = x;
        for (int stage = 0; stage < arch.numExits(); stage++) {
            y = stageBody(stage, y);
            heads.add(stage < arch.exitBlocks().size() ? earlyExit(stage, y) : new ExitHead(finalLogits(y), null));
        }
        return heads;
    }

    /** Assignments that move the batch-norm statistics; run them with every training step. */
    public List<Op> statisticUpdates() {
        return List.copyOf(statisticUpdates);
    }

    /** Logits and confidence of one exit; {@code confidence} is null for the last exit. */
    public record ExitHead(Operand<TFloat32> logits, Operand<TFloat32> confidence) {}

    private Operand<TFloat32> conv(Ops s, String name, Operand<TFloat32> x, int k, int in, int out, int stride) {
        Operand<TFloat32> kernel = params.trainable(name, new long[] {k, k, in, out}, Parameters.Init.HE_NORMAL);
        return s.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    }

    private Operand<TFloat32> batchNorm(Ops s, String name, Operand<TFloat32> x, int c) {
        long[] shape = {c};
        Operand<TFloat32> gamma = params.trainable(name + "/gamma", shape, Parameters.Init.ONES);
        Operand<TFloat32> beta = params.trainable(name + "/beta", shape, Parameters.Init.ZEROS);
        Operand<TFloat32> movingMean = params.movingStatistic(name + "/moving_mean", shape, 0f);
        Operand<TFloat32> movingVariance = params.movingStatistic(name + "/moving_variance", shape, 1f);
        if (!training) {
            return s.nn.fusedBatchNorm(x, gamma, beta, movingMean, movingVariance,
                    FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(BN_EPSILON)).y();
        }
        Operand<TFloat32> empty = s.constant(new float[0]);
        FusedBatchNorm<TFloat32, TFloat32> bn = s.nn.fusedBatchNorm(x, gamma, beta, empty, empty,
                FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(BN_EPSILON));
        Operand<TFloat32> keep = s.constant(1f - BN_MOMENTUM);
        Operand<TFloat32> take = s.constant(BN_MOMENTUM);
        statisticUpdates.add(s.assign(movingMean,
                s.math.add(s.math.mul(movingMean, keep), s.math.mul(s.stopGradient(bn.batchMean()), take))));
        statisticUpdates.add(s.assign(movingVariance,
                s.math.add(s.math.mul(movingVariance, keep), s.math.mul(s.stopGradient(bn.batchVariance()), take))));
        return bn.y();
    }

    private Operand<TFloat32> dense(Ops s, String name, Operand<TFloat32> x, int in, int out) {
        Operand<TFloat32> w = params.trainable(name + "/kernel", new long[] {in, out}, Parameters.Init.LINEAR_UNIFORM);
        Operand<TFloat32> b = params.trainable(name + "/bias", new long[] {out}, Parameters.Init.ZEROS);
        return s.nn.biasAdd(s.linalg.matMul(x, w), b);
    }

    private static Operand<TFloat32> globalAveragePool(Ops s, Operand<TFloat32> x) {
        return s.math.mean(x, s.constant(new int[] {1, 2}));
    }
}
