package io.eenet.stream.infer;

import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a repeated event into a {@link Reason#DUPLICATE_EVENT} dead letter: an event whose id this stream
 * (the key) already had within {@code window} (processing time) does not reach the model a second time. Only
 * events that decode ({@link EventCodec#decode}: framing and fields, not the image) are checked and remembered;
 * the others go on unchanged and the early-exit operator gives them their reason.
 *
 * <p>The ids seen are keyed state (id -> time first seen), so they are checkpointed with the offsets they belong
 * to: a record replayed after a restore is not taken for a duplicate. A processing-time timer per stream sweeps
 * out the ids older than the window, {@value #SWEEPS_PER_WINDOW} times per window: memory is one entry per event
 * id per stream within the window (plus at most an eighth of it), and the work per event does not grow with the
 * window or the rate. (State TTL is not used: on the heap backend its incremental cleanup re-reads a stream's
 * whole map of ids on state accesses, which costs more per event the more ids the window holds.)
 */
public final class DuplicateFilter extends KeyedProcessFunction<String, RawEvent, RawEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateFilter.class);

    /** Counter: events dead-lettered as duplicates. */
    public static final String DUPLICATES = "duplicates";

    /** How often per window each stream's ids are swept. */
    static final int SWEEPS_PER_WINDOW = 8;

    private final long windowMs;
    private final long sweepPeriodMs;
    private final EventIdOf eventIdOf;

    private transient MapState<String, Long> firstSeen;
    private transient Counter duplicates;

    /**
     * @param window how long an event id is remembered (&gt; 0)
     * @param limits the job's event limits: only events that decode under them are checked
     */
    public DuplicateFilter(Duration window, EventLimits limits) {
        this(window, new DecodedId(new EventCodec(limits)));
    }

    /** @param eventIdOf an event's id, or a {@link BadEventException} for an event that does not decode */
    DuplicateFilter(Duration window, EventIdOf eventIdOf) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the dedupe window must be > 0, was %s".formatted(window));
        }
        this.windowMs = window.toMillis();
        this.sweepPeriodMs = Math.max(1, windowMs / SWEEPS_PER_WINDOW);
        this.eventIdOf = eventIdOf;
    }

    /** How the filter reads an event's id. */
    interface EventIdOf extends Serializable {
        String apply(RawEvent raw) throws BadEventException;
    }

    private record DecodedId(EventCodec codec) implements EventIdOf {
        @Override
        public String apply(RawEvent raw) throws BadEventException {
            return codec.decode(raw.key(), raw.value()).eventId();
        }
    }

    @Override
    public void open(OpenContext context) {
        firstSeen = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("event-first-seen", Types.STRING, Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES);
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<RawEvent> out) throws Exception {
        String eventId;
        try {
            eventId = eventIdOf.apply(raw);
        } catch (BadEventException bad) {
            out.collect(raw); // the early-exit operator gives it its reason
            return;
        } catch (Throwable t) { // OutOfMemoryError included: the event's dead letter, not a task failure
            BadEventException e = Guard.toBadEvent(t, "decoding the event");
            LOG.warn("event at {}/{}@{}: {}", raw.topic(), raw.partition(), raw.offset(), e.getMessage(), t);
            ctx.output(StreamTags.DEAD_LETTERS, Results.deadLetter(raw, null, e, System.currentTimeMillis()));
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        Long seenAt = firstSeen.get(eventId);
        if (seenAt != null && now - seenAt < windowMs) {
            duplicates.inc();
            ctx.output(StreamTags.DEAD_LETTERS, new DeadLetter(Reason.DUPLICATE_EVENT.code(),
                    "stream " + Results.streamIdOrNull(raw.key()) + " already had an event with id '" + eventId
                            + "' within the last " + windowMs / 1000 + " s; this copy was not classified",
                    Results.streamIdOrNull(raw.key()), eventId, raw.key(), raw.value(), raw.topic(), raw.partition(),
                    raw.offset(), System.currentTimeMillis()));
            return;
        }
        firstSeen.put(eventId, now);
        // The first sweep at or after this id's expiry; timers of one key and time are one timer.
        long expiry = now + windowMs;
        ctx.timerService().registerProcessingTimeTimer(ceilTo(expiry, sweepPeriodMs));
        out.collect(raw);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RawEvent> out) throws Exception {
        boolean anyLeft = false;
        Iterator<Map.Entry<String, Long>> ids = firstSeen.iterator();
        while (ids.hasNext()) {
            if (timestamp - ids.next().getValue() >= windowMs) {
                ids.remove();
            } else {
                anyLeft = true;
            }
        }
        if (!anyLeft) {
            firstSeen.clear(); // a stream that went quiet leaves no state behind
        }
    }

    private static long ceilTo(long t, long period) {
        return Math.floorDiv(t + period - 1, period) * period;
    }
}
