package io.eenet.stream.infer;

import static io.eenet.stream.format.FuzzProperties.check;

import io.eenet.model.ModelManifest;
import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DeadLetterLimits;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ImageConverter;
import io.eenet.stream.format.ImageEncoding;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.ResultCodec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fuzz target of the early-exit operator's preparation path, the event reader's decode
 * ({@link EventReader#decode}) then {@link EarlyExitFunction#prepare}: what
 * {@link PrepareFuzzTest} runs over its seed corpus in every build, and what {@code ./eenet fuzz prepare} hands to
 * Jazzer's driver ({@link Prepare}).
 *
 * <p>The input is one Kafka value, as a hostile producer sends it, between two good events in one batch, prepared
 * for an MNIST-shaped model (a 28x28x1 input of 10 classes; no model is loaded: the preparation decodes, checks and
 * converts, the model runs later in {@code process}). Properties: nothing is thrown out of {@code prepare} (which
 * would fail the task); every event of the batch is prepared or is its own dead letter, exactly one of the two; the
 * good events are prepared; every model input has the model's size and values of the model's scale; every dead
 * letter has a reason and a message, and its record stays within the dead-letter limits.
 */
public final class PrepareFuzzTargets {

    private static final ModelManifest.InputSpec MNIST = new ModelManifest.InputSpec("image", List.of(28, 28, 1),
            "float32", "NHWC", 1.0 / 255, List.of(0.0), List.of(1.0));
    private static final EventLimits LIMITS = new EventLimits(1 << 20, 256, 4096, 256, 1 << 20, 32, 500);
    private static final byte[] KEY = EventCodec.encodeKey("camera-1");
    private static final byte[] GOOD = EventCodec.encode(new FrameEvent("camera-1", "good", 0, 0, FrameEvent.PNG,
            new int[0], png(), 3));
    private static final EventCodec CODEC = new EventCodec(LIMITS);
    private static final EarlyExitFunction FUNCTION = openFunction();

    private PrepareFuzzTargets() {}

    static void prepare(byte[] value) {
        List<DecodedEvent> batch = Stream.of(new RawEvent(KEY, GOOD, "frames", 0, 0, 0),
                new RawEvent(KEY, value, "frames", 0, 1, 0), new RawEvent(KEY, GOOD, "frames", 0, 2, 0))
                .map(raw -> EventReader.decode(CODEC, raw)).toList();
        BatchCollector<FrameResult> out = new BatchCollector<>();

        EarlyExitFunction.Prepared prepared = FUNCTION.prepare(batch, out);

        List<DeadLetter> deadLetters = out.sideOutput(StreamTags.DEAD_LETTERS);
        check(prepared.raws().size() + deadLetters.size() == batch.size() && out.size() == deadLetters.size(),
                String.format("%d events in, %d prepared and %d outcomes out", batch.size(), prepared.raws().size(),
                        out.size()));
        check(prepared.raws().get(0) == batch.get(0).raw() && prepared.raws().get(prepared.raws().size() - 1)
                == batch.get(2).raw(), "a good event was not prepared");
        check(prepared.events().size() == prepared.raws().size() && prepared.images().size() == prepared.raws().size(),
                "prepared lists of different lengths");
        for (float[] image : prepared.images()) {
            check(image != null && image.length == 28 * 28, "model input of the wrong size");
            for (float f : image) {
                check(f >= 0 && f <= 1, String.format("model input value %s outside [0, 1]", f));
            }
        }
        for (DeadLetter d : deadLetters) {
            check(d.reason() != null && d.message() != null && !d.message().isBlank(), "a dead letter without reason");
            check(ResultCodec.encode(d, DeadLetterLimits.DEFAULTS).length
                    <= DeadLetterLimits.DEFAULTS.maxEncodedValueBytes(), "a dead letter over its limit");
        }
    }

    private static EarlyExitFunction openFunction() {
        try {
            // An empty store (no model is loaded: see above), removed when the JVM exits as it stays empty.
            Path store = Files.createTempDirectory("eenet-prepare-fuzz");
            store.toFile().deleteOnExit();
            EarlyExitFunction f = new EarlyExitFunction(new ModelSettings(store.toString(), "none", null, null, 1,
                    60_000), LIMITS);
            f.open(BatchFunction.Context.standalone(() -> 0));
            f.prepareFor(new EarlyExitFunction.InputPlan(new ImageConverter(MNIST, LIMITS)::toModelInput, 10));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(14, 14, 0, 255);
        return ImageEncoding.png(image);
    }

    /** {@link #prepare} for Jazzer's driver. */
    public static final class Prepare {
        private Prepare() {}

        public static void fuzzerTestOneInput(byte[] value) {
            prepare(value);
        }
    }
}
