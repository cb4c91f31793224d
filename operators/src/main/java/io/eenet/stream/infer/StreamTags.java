package io.eenet.stream.infer;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.PendingFrame;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs of the inference operators. */
public final class StreamTags {

    /** Events the early-exit operator did not resolve: the heavy operator's input. */
    public static final OutputTag<PendingFrame> PENDING =
            new OutputTag<>("pending", TypeInformation.of(PendingFrame.class));

    /** Events that could not be classified, with why. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private StreamTags() {}
}
