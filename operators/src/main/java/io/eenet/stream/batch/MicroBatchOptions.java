package io.eenet.stream.batch;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a {@link MicroBatchOperator} forms and bounds its batches.
 *
 * @param maxBatchSize a batch is sent as soon as it holds this many elements
 * @param maxDelay a batch that is not full is sent this long after its first element arrived
 * @param maxInFlightBatches batches sent but not yet emitted; when this many are in flight, the operator
 *     stops taking input until one completes, so backpressure reaches the source
 */
public record MicroBatchOptions(int maxBatchSize, Duration maxDelay, int maxInFlightBatches) implements Serializable {

    public MicroBatchOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was %s".formatted(maxBatchSize));
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, was %s".formatted(maxDelay));
        }
        if (maxInFlightBatches < 1) {
            throw new IllegalArgumentException("maxInFlightBatches must be at least 1, was %s"
                    .formatted(maxInFlightBatches));
        }
    }
}
