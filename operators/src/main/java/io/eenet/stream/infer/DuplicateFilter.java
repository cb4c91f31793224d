package io.eenet.stream.infer;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.Reason;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a repeated event into a {@link Reason#DUPLICATE_EVENT} dead letter: an event whose id this stream
 * (the key) already had within {@code window} (processing time) does not reach the model a second time. Only
 * events that decode ({@link EventCodec#decode}: framing and fields, not the image) are checked and remembered;
 * the others go on unchanged and the early-exit operator gives them their reason.
 *
 * <p>The ids seen are keyed state with a time-to-live, so they are checkpointed with the offsets they belong to:
 * a record replayed after a restore is not taken for a duplicate. Memory: one entry per event id per stream
 * within the window.
 */
public final class DuplicateFilter extends KeyedProcessFunction<String, RawEvent, RawEvent> {

    private static final long serialVersionUID = 1L;

    private final Duration window;
    private final EventCodec codec;

    private transient MapState<String, Boolean> seen;
    private transient Counter duplicates;

    /** @param limits the job's event limits: only events that decode under them are checked */
    public DuplicateFilter(Duration window, EventLimits limits) {
        this.window = window;
        this.codec = new EventCodec(limits);
    }

    @Override
    public void open(OpenContext context) {
        MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("event-ids", Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(window)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getMapState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<RawEvent> out) throws Exception {
        String eventId;
        try {
            eventId = codec.decode(raw.key(), raw.value()).eventId();
        } catch (BadEventException bad) {
            out.collect(raw); // the early-exit operator gives it its reason
            return;
        }
        if (seen.contains(eventId)) {
            duplicates.inc();
            ctx.output(StreamTags.DEAD_LETTERS, new DeadLetter(Reason.DUPLICATE_EVENT.code(),
                    "stream " + Results.streamIdOrNull(raw.key()) + " already had an event with id '" + eventId
                            + "' within the last " + window.toSeconds() + " s; this copy was not classified",
                    Results.streamIdOrNull(raw.key()), eventId, raw.key(), raw.value(), raw.topic(), raw.partition(),
                    raw.offset(), System.currentTimeMillis()));
            return;
        }
        seen.put(eventId, Boolean.TRUE);
        out.collect(raw);
    }
}
