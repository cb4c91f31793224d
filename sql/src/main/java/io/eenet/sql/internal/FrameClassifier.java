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
 * Not thread-safe: the micro-batcher's thread only.
 */
public final class FrameClassifier implements MicroBatcher.Handler<byte[], Prediction>, AutoCloseable {

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
    private String converterVersion;
    private ImageConverter converter;

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

    @Override
    public List<Prediction> handle(List<byte[]> rows) {
        ModelSource.Served model = source.serve(clock.getAsLong());
        Prediction[] out = new Prediction[rows.size()];
        String version = model == null ? null : model.version();
        String unavailable = model == null ? source.unavailableReason() : thresholdProblem(model);
        List<float[]> images = new ArrayList<>(rows.size());
        List<Integer> positions = new ArrayList<>(rows.size());
        List<FrameEvent> events = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            FrameEvent event = null;
            try {
                event = decode(rows.get(i));
                if (unavailable != null) {
                    throw new BadEventException(Reason.MODEL_UNAVAILABLE, unavailable);
                }
                ImageConverter.checkLabel(event, model.labels().size());
                images.add(converter(model).toModelInput(event));
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

    private ImageConverter converter(ModelSource.Served model) {
        if (!model.version().equals(converterVersion)) {
            converter = new ImageConverter(model.input(), limits);
            converterVersion = model.version();
        }
        return converter;
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
