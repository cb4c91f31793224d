package io.eenet.trainer.train;

import io.eenet.trainer.model.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Parameters held in TensorFlow variables, created on first use and shared by every graph built on
 * them (the training and the evaluation forward pass). Initial values come from a seeded
 * {@link Random} in creation order, so a seed fixes them.
 */
final class VariableParameters implements Parameters {

    private final Ops tf;
    private final Random random;
    private final Map<String, Variable<TFloat32>> trainable = new LinkedHashMap<>();
    private final Map<String, Boolean> decays = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> statistics = new LinkedHashMap<>();

    VariableParameters(Ops tf, long seed) {
        this.tf = tf.withSubScope("params");
        this.random = new Random(seed);
    }

    @Override
    public Operand<TFloat32> trainable(String name, long[] shape, Init init) {
        return trainable.computeIfAbsent(name, n -> {
            decays.put(n, init.decays());
            return variable(n, shape, initialValues(shape, init));
        });
    }

    @Override
    public Operand<TFloat32> movingStatistic(String name, long[] shape, float initialValue) {
        return statistics.computeIfAbsent(name, n -> {
            float[] values = new float[(int) Shape.of(shape).size()];
            java.util.Arrays.fill(values, initialValue);
            return variable(n, shape, values);
        });
    }

    /** Trainable variables in creation order. */
    Map<String, Variable<TFloat32>> trainableVariables() {
        return trainable;
    }

    boolean decays(String name) {
        return decays.get(name);
    }

    /** Every variable that makes up the model (trainable and moving statistics), by parameter name. */
    Map<String, Variable<TFloat32>> modelVariables() {
        Map<String, Variable<TFloat32>> all = new LinkedHashMap<>(trainable);
        all.putAll(statistics);
        return all;
    }

    List<String> names() {
        return new ArrayList<>(modelVariables().keySet());
    }

    private Variable<TFloat32> variable(String name, long[] shape, float[] values) {
        String opName = name.replace('/', '_');
        return tf.withName(opName).variable(tf.constant(Shape.of(shape), DataBuffers.of(values, true, false)));
    }

    private float[] initialValues(long[] shape, Init init) {
        int size = (int) Shape.of(shape).size();
        float[] values = new float[size];
        long fanIn = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            fanIn *= shape[i];
        }
        switch (init) {
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < size; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
            }
            case LINEAR_UNIFORM -> {
                double bound = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < size; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
            case ONES -> java.util.Arrays.fill(values, 1f);
            case ZEROS -> { }
        }
        return values;
    }
}
