package io.eenet.sql.internal;

import io.eenet.model.runtime.Outcome;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.ImageConverter;
import io.eenet.stream.format.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies one micro-batch of rows: decodes each row's bytes, converts its image to the model's input and runs
 * every stage with early exit on the rows that decoded, in one call (the survivors of each exit are packed into
 * a smaller batch for the next stage). A row that cannot be classified gets a {@link Prediction} with a reason
 * code instead of a label; nothing throws.
 *
 * <p>A row's bytes are either a {@code FrameEvent} in the event format (Avro single-object encoding, marker
 * {@code C3 01}: PNG, JPEG, raw-uint8 or raw-float32, as the DataStream job reads it) or a bare PNG or JPEG image.
 * {@link #prepare} runs on the micro-batcher's preparing thread (decoding and image conversion), {@link #handle}
 * on its handling thread, each on its own only.
 */
public final class FrameClassifier implements MicroBatcher.Handler<FrameClassifier.Prepared, Prediction>,
        AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameClassifier.class);
    /** EventCodec wants a Kafka key (the stream id); a row has none. */
    private static final byte[] ROW_KEY = "sql".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private final ModelSource source;
    private final float[] thresholds;
    private final EventLimits limits;
    private final EventCodec codec;
    private final LongSupplier clock;
    private final PredictMetrics metrics;

    /**
     * @param thresholds one per early exit, or null for the model's defaults
     * @param metrics null for none
     */
    public FrameClassifier(ModelSource source, float[] thresholds, EventLimits limits, LongSupplier clock,
            PredictMetrics metrics) {
        this.source = source;
        this.thresholds = thresholds == null ? null : thresholds.clone();
        this.limits = limits;
        this.codec = new EventCodec(limits);
        this.clock = clock;
        this.metrics = metrics;
    }

    /** How rows become model input for the version served: set by {@link #handle}, read by {@link #prepare}. */
    record Plan(String version, ImageConverter converter, int numClasses) {}

    /** A row after {@link #prepare}: its event, and its model input if a version served then (else null). */
    public record Prepared(FrameEvent event, float[] image, Plan plan, BadEventException error) {}

    private volatile Plan plan;

    /**
     * Decodes a row and converts its image for the version served now, on the micro-batcher's preparing thread,
     * while its handling thread runs the model on the batch before: the work the DataStream job's preparation
     * thread does. One caller thread at a time.
     */
    public Prepared prepare(byte[] row) {
        FrameEvent event = null;
        Plan p = plan;
        try {
            event = decode(row);
            if (p == null) {
                return new Prepared(event, null, null, null);
            }
            ImageConverter.checkLabel(event, p.numClasses());
            return new Prepared(event, p.converter().toModelInput(event), p, null);
        } catch (BadEventException e) {
            return new Prepared(event, null, p, e);
        }
    }

    /** {@link #prepare} and {@link #handle} in one go, on this thread. */
    public List<Prediction> classify(List<byte[]> rows) {
        List<Prepared> prepared = new ArrayList<>(rows.size());
        rows.forEach(r -> prepared.add(prepare(r)));
        return handle(prepared);
    }

    @Override
    public List<Prediction> handle(List<Prepared> rows) {
        ModelSource.Served model = source.serve(clock.getAsLong());
        Prediction[] out = new Prediction[rows.size()];
        String version = model == null ? null : model.version();
        String unavailable = model == null ? source.unavailableReason() : thresholdProblem(model);
        Plan current = model == null ? null : plan(model);
        List<float[]> images = new ArrayList<>(rows.size());
        List<Integer> positions = new ArrayList<>(rows.size());
        List<FrameEvent> events = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Prepared p = rows.get(i);
            FrameEvent event = p.event();
            try {
                if (event == null) { // not decodable: no model changes that
                    throw p.error();
                }
                if (unavailable != null) {
                    throw new BadEventException(Reason.MODEL_UNAVAILABLE, unavailable);
                }
                float[] image;
                if (p.plan() == current) {
                    if (p.error() != null) {
                        throw p.error();
                    }
                    image = p.image();
                } else { // prepared for another version, or before one served: convert for this one
                    ImageConverter.checkLabel(event, current.numClasses());
                    image = current.converter().toModelInput(event);
                }
                images.add(image);
                positions.add(i);
                events.add(event);
            } catch (BadEventException e) {
                out[i] = failed(e.reason(), e.getMessage(), version, event);
            }
        }
        if (!images.isEmpty()) {
            float[] t = thresholds != null ? thresholds : model.defaultThresholds();
            List<Outcome> outcomes = null;
            try {
                outcomes = model.run(images, t);
            } catch (RuntimeException e) {
                LOG.warn("inference failed on a batch of {}", images.size(), e);
                String message = String.format("model version %s failed on the batch: %s: %s", version,
                        e.getClass().getSimpleName(), e.getMessage());
                for (int k = 0; k < positions.size(); k++) {
                    out[positions.get(k)] = failed(Reason.INFERENCE_FAILED, message, version, events.get(k));
                }
            }
            if (outcomes != null) {
                for (int k = 0; k < positions.size(); k++) {
                    out[positions.get(k)] = predicted(model, outcomes.get(k), events.get(k));
                }
            }
        }
        if (metrics != null) {
            metrics.batch(out, version);
        }
        return Arrays.asList(out);
    }

    private String thresholdProblem(ModelSource.Served model) {
        int exits = model.defaultThresholds().length;
        if (thresholds != null && thresholds.length != exits) {
            return String.format("model version %s has %d early exits but %d thresholds were configured: %s",
                    model.version(), exits, thresholds.length, Arrays.toString(thresholds));
        }
        return null;
    }

    /** The plan of the version served, made once per version and handed to {@link #prepare}. */
    private Plan plan(ModelSource.Served model) {
        Plan p = plan;
        if (p == null || !p.version().equals(model.version())) {
            p = new Plan(model.version(), new ImageConverter(model.input(), limits), model.labels().size());
            plan = p;
        }
        return p;
    }

    /** A row's event: a FrameEvent in the event format, or a bare PNG or JPEG image. */
    FrameEvent decode(byte[] row) throws BadEventException {
        if (row == null || row.length == 0) {
            throw new BadEventException(Reason.EMPTY_PAYLOAD, "the input column is null or empty");
        }
        if (startsWith(row, PNG_MAGIC) || startsWith(row, JPEG_MAGIC)) {
            if (row.length > limits.maxPayloadBytes()) {
                throw new BadEventException(Reason.PAYLOAD_TOO_LARGE, String.format(
                        "the image has %d bytes, more than the %d accepted", row.length, limits.maxPayloadBytes()));
            }
            String encoding = row[0] == PNG_MAGIC[0] ? FrameEvent.PNG : FrameEvent.JPEG;
            return new FrameEvent(null, null, 0, 0, encoding, new int[0], row, null);
        }
        return codec.decode(ROW_KEY, row); // not-an-event when it has no single-object marker either
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static Prediction predicted(ModelSource.Served model, Outcome outcome, FrameEvent e) {
        Outcome.Exited x = (Outcome.Exited) outcome;
        List<String> labels = model.labels();
        String name = x.label() < labels.size() ? labels.get(x.label()) : Integer.toString(x.label());
        return new Prediction(name, x.label(), x.probabilities()[x.label()],
                Float.isNaN(x.confidence()) ? null : x.confidence(), x.exit(), x.cost(), x.modelVersion(), null,
                null, e.eventId(), e.eventId() == null ? null : e.sequence(), e.label(),
                e.eventId() == null ? null : e.eventTimeMs());
    }

    private static Prediction failed(Reason reason, String message, String version, FrameEvent e) {
        boolean event = e != null && e.eventId() != null;
        return Prediction.failed(reason.code(), message, version, event ? e.eventId() : null,
                event ? e.sequence() : null, event ? e.label() : null, event ? e.eventTimeMs() : null);
    }

    @Override
    public void close() {
        source.close();
    }
}
