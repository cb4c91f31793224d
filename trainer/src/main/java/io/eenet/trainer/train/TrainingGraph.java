package io.eenet.trainer.train;

import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ResNetGraph;
import io.eenet.trainer.model.ResNetGraph.ExitHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow graph of a training run: a training forward pass with the EENet loss, its
 * gradients and optimiser updates, and an inference forward pass on the same variables.
 */
final class TrainingGraph implements AutoCloseable {

    static final float ADAM_BETA1 = 0.9f;
    static final float ADAM_BETA2 = 0.999f;
    static final float ADAM_EPSILON = 1e-8f;

    final Graph graph;
    final Session session;
    final Placeholder<TFloat32> images;
    final Placeholder<TInt32> labels;
    final Placeholder<TFloat32> learningRate;
    final Placeholder<TFloat32> beta1Power;
    final Placeholder<TFloat32> beta2Power;
    final Operand<TFloat32> loss;
    final Op trainStep;
    /** Loss v0 and its step, for the warm-up epochs; null without early exits. */
    final Operand<TFloat32> warmupLoss;
    final Op warmupStep;
    /** Per exit: predicted class of the training pass. */
    final List<Operand<TInt64>> trainPredictions = new ArrayList<>();
    /** Per early exit: confidence of the training pass. */
    final List<Operand<TFloat32>> trainConfidences = new ArrayList<>();
    /** Per exit: softmax probabilities of the inference pass. */
    final List<Operand<TFloat32>> evalProbabilities = new ArrayList<>();
    /** Per early exit: confidence of the inference pass. */
    final List<Operand<TFloat32>> evalConfidences = new ArrayList<>();
    private final VariableParameters params;

    /**
     * @param deterministic run TensorFlow's kernels on one thread: equal seeds then give bit-identical
     *     models. Multi-threaded CPU kernels sum partial results in varying order, so otherwise two
     *     runs differ in the last bits, and the differences grow over training.
     */
    TrainingGraph(TrainConfig config, Architecture arch, float[] mean, float[] std, boolean deterministic) {
        this(config, arch, Trainer.exitCosts(arch), mean, std, deterministic);
    }

    /** @param costs each exit's cost in the cost-aware loss (the last one 1): MACs, or time measured */
    TrainingGraph(TrainConfig config, Architecture arch, double[] costs, float[] mean, float[] std,
            boolean deterministic) {
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            images = tf.withName("images").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, arch.height(), arch.width(), arch.channels())));
            labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            params = new VariableParameters(tf, config.seed());

            ResNetGraph train = new ResNetGraph(tf.withSubScope("train"), arch, params, true);
            List<ExitHead> heads = train.forward(train.normalize(images, mean, std));
            loss = EENetLoss.build(tf, heads, labels, costs, config.loss(), config.lambda());
            warmupLoss = heads.size() > 1 && config.warmupEpochs() > 0
                    ? EENetLoss.build(tf, heads, labels, costs, LossVersion.V0, config.lambda()) : null;
            for (ExitHead h : heads) {
                trainPredictions.add(tf.math.argMax(h.logits(), tf.constant(1)));
                if (h.confidence() != null) {
                    trainConfidences.add(h.confidence());
                }
            }

            Map<String, Variable<TFloat32>[]> slots = new LinkedHashMap<>();
            List<Op> updates = new ArrayList<>(train.statisticUpdates());
            updates.addAll(optimizerUpdates(tf.withSubScope("optimizer"), config, loss, slots, name -> true));
            trainStep = tf.withControlDependencies(updates).withName("train_step").noOp();
            if (warmupLoss != null) {
                List<Op> warmupUpdates = new ArrayList<>(train.statisticUpdates());
                // Loss v0 does not reach the confidence branches: they wait for the main loss.
                warmupUpdates.addAll(optimizerUpdates(tf.withSubScope("warmup"), config, warmupLoss, slots,
                        name -> !name.endsWith("/confidence/kernel") && !name.endsWith("/confidence/bias")));
                warmupStep = tf.withControlDependencies(warmupUpdates).withName("warmup_step").noOp();
            } else {
                warmupStep = null;
            }

            ResNetGraph eval = new ResNetGraph(tf.withSubScope("eval"), arch, params, false);
            for (ExitHead h : eval.forward(eval.normalize(images, mean, std))) {
                evalProbabilities.add(tf.nn.softmax(h.logits()));
                if (h.confidence() != null) {
                    evalConfidences.add(h.confidence());
                }
            }
            session = deterministic
                    ? new Session(graph, org.tensorflow.proto.ConfigProto.newBuilder()
                            .setIntraOpParallelismThreads(1)
                            .setInterOpParallelismThreads(1)
                            .setUsePerSessionThreads(true)
                            .build())
                    : new Session(graph);
            session.initialize();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Optimiser updates of every trainable variable along the gradient of {@code objective}. The
     * optimiser's slot variables are created once and shared through {@code slots}, so the warm-up
     * and the main step continue one Adam (or momentum) state.
     */
    @SuppressWarnings("unchecked")
    private List<Op> optimizerUpdates(Ops tf, TrainConfig config, Operand<TFloat32> objective,
            Map<String, Variable<TFloat32>[]> slots, java.util.function.Predicate<String> trained) {
        Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
        params.trainableVariables().forEach((name, var) -> {
            if (trained.test(name)) {
                vars.put(name, var);
            }
        });
        Output<?>[] xs = vars.values().stream().map(Variable::asOutput).toArray(Output[]::new);
        Output<?>[] grads = graph.addGradients(objective.asOutput(), xs);
        Operand<TFloat32> decay = tf.constant(config.weightDecay());
        // Every gradient (weight decay included) is computed before any variable changes: without
        // this barrier an update could run while an earlier layer's gradient still reads the kernel,
        // which makes steps depend on scheduling.
        List<Operand<TFloat32>> finalGrads = new ArrayList<>();
        List<Op> barrier = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Variable<TFloat32>> entry : vars.entrySet()) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> grad = (Operand<TFloat32>) grads[i++];
            if (config.weightDecay() > 0 && params.decays(entry.getKey())) {
                grad = tf.math.add(grad, tf.math.mul(decay, entry.getValue()));
            }
            var ready = tf.identity(grad);
            finalGrads.add(ready);
            barrier.add(ready);
        }
        Ops update = tf.withControlDependencies(barrier);
        boolean adam = config.optimizer() == TrainConfig.OptimizerKind.ADAM;
        List<Op> ops = new ArrayList<>();
        i = 0;
        for (Map.Entry<String, Variable<TFloat32>> entry : vars.entrySet()) {
            Variable<TFloat32> var = entry.getValue();
            Operand<TFloat32> grad = finalGrads.get(i++);
            String slot = entry.getKey().replace('/', '_');
            Variable<TFloat32>[] s = slots.computeIfAbsent(entry.getKey(), k -> adam
                    ? new Variable[] {tf.withName(slot + "_m").variable(zeros(tf, var)),
                        tf.withName(slot + "_v").variable(zeros(tf, var))}
                    : new Variable[] {tf.withName(slot + "_momentum").variable(zeros(tf, var))});
            if (adam) {
                ops.add(update.train.applyAdam(var, s[0], s[1], beta1Power, beta2Power, learningRate,
                        tf.constant(ADAM_BETA1), tf.constant(ADAM_BETA2), tf.constant(ADAM_EPSILON), grad));
            } else {
                ops.add(update.train.applyMomentum(var, s[0], learningRate, grad, tf.constant(config.momentum())));
            }
        }
        return ops;
    }

    private static Operand<TFloat32> zeros(Ops tf, Operand<TFloat32> like) {
        Shape shape = like.shape();
        return tf.constant(shape, org.tensorflow.ndarray.buffer.DataBuffers.ofFloats(shape.size()));
    }

    /** Every model parameter's current value, by parameter name. */
    Map<String, float[]> parameterValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Variable<TFloat32>> e : params.modelVariables().entrySet()) {
            try (TFloat32 t = (TFloat32) session.runner().fetch(e.getValue()).run().get(0)) {
                float[] data = new float[(int) t.shape().size()];
                t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(data, false, false));
                values.put(e.getKey(), data);
            }
        }
        return values;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
