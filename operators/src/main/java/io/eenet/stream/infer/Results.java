package io.eenet.stream.infer;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Outcome;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.PendingFrame;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds results and dead letters from the runtime's outcomes; shared by both inference functions. */
final class Results {

    private Results() {}

    static FrameResult of(Outcome.Exited o, ModelManifest manifest, String eventId, String streamId, long sequence,
            long eventTimeMs, Integer groundTruth, long ingestTimeMs, String path, float[] thresholds, long now) {
        List<String> labels = manifest.dataset().labels();
        String labelName = o.label() < labels.size() ? labels.get(o.label()) : String.valueOf(o.label());
        return new FrameResult(eventId, streamId, sequence, eventTimeMs, groundTruth, o.label(), labelName,
                o.probabilities()[o.label()], o.confidence(), o.exit(), o.cost(), path, thresholds,
                manifest.name(), o.modelVersion(), ingestTimeMs, now);
    }

    /**
     * Null if every probability of the outcome is finite (the confidence may be NaN: the last exit has none);
     * else the {@link Reason#NON_FINITE_OUTPUT} to dead-letter the event with.
     */
    static BadEventException nonFinite(Outcome.Exited o, String model) {
        float[] p = o.probabilities();
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i])) {
                return new BadEventException(Reason.NON_FINITE_OUTPUT, String.format("%s gave probability %s for"
                        + " class %d at exit %d; no result is made of a non-finite output (an input outside the"
                        + " model's range, or a model fault)", model, p[i], i, o.exit()));
            }
        }
        return null;
    }

    static DeadLetter deadLetter(RawEvent raw, String eventId, BadEventException e, long now) {
        return new DeadLetter(e.reason().code(), e.getMessage(), streamIdOrNull(raw.key()), eventId, raw.key(),
                raw.value(), raw.topic(), raw.partition(), raw.offset(), now);
    }

    static DeadLetter deadLetter(PendingFrame p, BadEventException e, long now) {
        return new DeadLetter(e.reason().code(), e.getMessage(), p.streamId(), p.eventId(), p.key(), p.value(),
                p.topic(), p.partition(), p.offset(), now);
    }

    /** The key as text if it is valid UTF-8; else null. */
    static String streamIdOrNull(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** One line for a dead letter's message from an unexpected exception. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
