package io.eenet.trainer.export;

import io.eenet.trainer.model.Parameters;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Trained values baked into a graph as constants: what an exported stage runs on. */
final class ConstantParameters implements Parameters {

    private final Ops tf;
    private final Map<String, float[]> values;

    ConstantParameters(Ops tf, Map<String, float[]> values) {
        this.tf = tf.withSubScope("params");
        this.values = values;
    }

    @Override
    public Operand<TFloat32> trainable(String name, long[] shape, Init init) {
        return constant(name, shape);
    }

    @Override
    public Operand<TFloat32> movingStatistic(String name, long[] shape, float initialValue) {
        return constant(name, shape);
    }

    private Operand<TFloat32> constant(String name, long[] shape) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no trained value for parameter %s".formatted(name));
        }
        if (v.length != Shape.of(shape).size()) {
            throw new IllegalArgumentException("parameter %s has %s values, shape %s needs %s"
                    .formatted(name, v.length, Arrays.toString(shape), Shape.of(shape).size()));
        }
        return tf.withName(name.replace('/', '_')).constant(Shape.of(shape), DataBuffers.of(v, true, false));
    }
}
