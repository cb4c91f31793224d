package io.eenet.stream.batch;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Makes {@link MicroBatchOperator}s; use with {@code DataStream#transform(name, outType, factory)}.
 * A factory rather than an operator instance because the operator needs the task's mailbox executor.
 */
public final class MicroBatchOperatorFactory<IN, OUT> extends AbstractStreamOperatorFactory<OUT>
        implements OneInputStreamOperatorFactory<IN, OUT> {

    private static final long serialVersionUID = 1L;

    private final BatchFunction<IN, ?, OUT> function;
    private final MicroBatchOptions options;
    private final TypeInformation<IN> inputType;

    /** @param inputType the input's type, for writing buffered and in-flight elements to checkpoints */
    public MicroBatchOperatorFactory(BatchFunction<IN, ?, OUT> function, MicroBatchOptions options,
            TypeInformation<IN> inputType) {
        this.function = function;
        this.options = options;
        this.inputType = inputType;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
        var operator = new MicroBatchOperator<>(parameters, function, options, inputType);
        return (T) operator;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return MicroBatchOperator.class;
    }
}
