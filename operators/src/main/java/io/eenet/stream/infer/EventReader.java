package io.eenet.stream.infer;

import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each event once: decodes it ({@link EventCodec#decode}: framing and fields, not the image) into a
 * {@link DecodedEvent} that the early-exit operator takes as it is, and, with a dedupe window, turns a repeated
 * event into a {@link Reason#DUPLICATE_EVENT} dead letter: an event whose id this stream (the key) already had
 * within {@code window} (processing time) does not reach the model a second time. An event that does not decode
 * goes on with its reason, and the early-exit operator makes it a dead letter.
 *
 * <p>The ids seen are keyed state, a {@link SeenIds} table per stream (64-bit id hash -> time first seen), so they
 * are checkpointed with the offsets they belong to: a record replayed after a restore is not taken for a duplicate.
 * A processing-time timer per stream sweeps out the ids older than the window, {@value #SWEEPS_PER_WINDOW} times
 * per window: memory is 32 to 64 bytes per event id per stream within the window (plus at most an eighth of it),
 * and the work per event does not grow with the window or the rate. The table is sized for the heap state backend,
 * where a checkpoint copies and writes its two arrays whole; on RocksDB each event would rewrite its stream's
 * table. (State TTL is not used: on the heap backend its incremental cleanup re-reads a stream's whole state on
 * state accesses, which costs more per event the more ids the window holds.)
 */
public final class EventReader extends KeyedProcessFunction<String, RawEvent, DecodedEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventReader.class);

    /** Counter: events dead-lettered as duplicates. */
    public static final String DUPLICATES = "duplicates";

    /** How often per window each stream's ids are swept. */
    static final int SWEEPS_PER_WINDOW = 8;

    private final long windowMs;
    private final long sweepPeriodMs;
    private final Decoder decoder;

    /** The state's name. Until 2026-12-07 it was {@code event-first-seen}, a map of id strings, which is not read. */
    static final String STATE_NAME = "event-ids";

    private transient ValueState<SeenIds> seen;
    private transient Counter duplicates;

    /**
     * @param window how long an event id is remembered; zero: events are decoded, not de-duplicated
     * @param limits the job's event limits, which the decode checks
     */
    public EventReader(Duration window, EventLimits limits) {
        this(window, new CodecDecoder(new EventCodec(limits)));
    }

    /** @param decoder how a record becomes an event, or a {@link BadEventException} for one that does not */
    EventReader(Duration window, Decoder decoder) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the dedupe window must be >= 0, was %s".formatted(window));
        }
        this.windowMs = window.toMillis();
        this.sweepPeriodMs = Math.max(1, windowMs / SWEEPS_PER_WINDOW);
        this.decoder = decoder;
    }

    /** How the reader decodes a record. */
    interface Decoder extends Serializable {
        FrameEvent decode(RawEvent raw) throws BadEventException;
    }

    private record CodecDecoder(EventCodec codec) implements Decoder {
        @Override
        public FrameEvent decode(RawEvent raw) throws BadEventException {
            return codec.decode(raw.key(), raw.value());
        }
    }

    /**
     * Decodes one record: the event, or the reason it does not decode. Any error of the decode, out of memory
     * included, is the record's (see {@link Guard}).
     */
    public static DecodedEvent decode(EventCodec codec, RawEvent raw) {
        return decode(new CodecDecoder(codec), raw);
    }

    private static DecodedEvent decode(Decoder decoder, RawEvent raw) {
        try {
            return DecodedEvent.of(raw, decoder.decode(raw));
        } catch (Throwable t) {
            BadEventException e = Guard.toBadEvent(t, "decoding the event");
            if (e.reason() == Reason.UNEXPECTED_ERROR) {
                LOG.warn("event at {}/{}@{}: {}", raw.topic(), raw.partition(), raw.offset(), e.getMessage(), t);
            }
            return DecodedEvent.failed(raw, e);
        }
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(SeenIds.class)));
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES);
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<DecodedEvent> out) throws Exception {
        DecodedEvent decoded = decode(decoder, raw);
        if (decoded.event() == null || windowMs == 0) {
            out.collect(decoded);
            return;
        }
        String eventId = decoded.event().eventId();
        long now = ctx.timerService().currentProcessingTime();
        SeenIds ids = seen.value();
        if (ids == null) {
            ids = SeenIds.empty();
        }
        long hash = SeenIds.hash(eventId);
        long seenAt = ids.seenAt(hash);
        if (seenAt != Long.MIN_VALUE && now - seenAt < windowMs) {
            duplicates.inc();
            String streamId = decoded.event().streamId();
            ctx.output(StreamTags.DEAD_LETTERS, new DeadLetter(Reason.DUPLICATE_EVENT.code(),
                    "stream %s already had an event with id '%s' within the last %s s; this copy was not classified"
                            .formatted(streamId, eventId, windowMs / 1000),
                    streamId, eventId, raw.key(), raw.value(), raw.topic(), raw.partition(), raw.offset(),
                    System.currentTimeMillis()));
            return;
        }
        ids.put(hash, now);
        seen.update(ids); // on the heap backend the same object: no copy
        // The first sweep at or after this id's expiry; timers of one key and time are one timer.
        long expiry = now + windowMs;
        ctx.timerService().registerProcessingTimeTimer(ceilTo(expiry, sweepPeriodMs));
        out.collect(decoded);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecodedEvent> out) throws Exception {
        SeenIds ids = seen.value();
        if (ids == null || !ids.sweep(timestamp, windowMs)) {
            seen.clear(); // a stream that went quiet leaves no state behind
        } else {
            seen.update(ids);
        }
    }

    private static long ceilTo(long t, long period) {
        return Math.floorDiv(t + period - 1, period) * period;
    }
}
