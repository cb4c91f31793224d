package io.eenet.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.ImageEncoding;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One micro-batch at a time, on a stand-in model: encodings, bad rows, thresholds, version switches. */
class FrameClassifierTest {

    final Map<String, FakeModel> versions = new HashMap<>();
    String current = "1";
    final AtomicLong clock = new AtomicLong(1_000);

    StoreModelSource source(long reloadCheckMillis) {
        return new StoreModelSource("fake", () -> Optional.ofNullable(current),
                v -> versions.computeIfAbsent(v, FakeModel::new), reloadCheckMillis);
    }

    FrameClassifier classifier(float[] thresholds, long reloadCheckMillis) {
        return new FrameClassifier(source(reloadCheckMillis), thresholds, EventLimits.DEFAULTS, clock::get, null);
    }

    static byte[] png(int firstPixel) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, firstPixel);
        return ImageEncoding.png(img);
    }

    static byte[] jpeg() {
        return ImageEncoding.jpeg(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), 0.75f);
    }

    static byte[] event(String id, long seq, String encoding, int[] shape, byte[] payload, Integer label) {
        return EventCodec.encode(new FrameEvent("cam-1", id, seq, 1_700_000_000_000L, encoding, shape, payload, label));
    }

    @Test
    void classifiesEveryEncodingOfTheEventFormatAndBareImagesInOneBatch() throws Exception {
        byte[] raw = new byte[28 * 28];
        raw[0] = (byte) 255;
        List<byte[]> rows = List.of(png(255), jpeg(), event("e1", 7, FrameEvent.PNG, new int[0], png(0), 0),
                event("e2", 8, FrameEvent.RAW_UINT8, new int[] {28, 28, 1}, raw, 1));
        try (FrameClassifier c = classifier(null, 10_000)) {
            List<Prediction> out = c.classify(rows);
            assertThat(out).hasSize(4).allSatisfy(p -> {
                assertThat(p.error()).isNull();
                assertThat(p.modelVersion()).isEqualTo("1");
            });
            assertThat(out).extracting(Prediction::label).containsExactly("one", "zero", "zero", "one");
            assertThat(out.get(0).exitIndex()).isZero();
            assertThat(out.get(0).confidence()).isEqualTo(0.8f);
            assertThat(out.get(0).probability()).isEqualTo(0.9f);
            assertThat(out.get(0).cost()).isEqualTo(0.25);
            assertThat(out.get(0).eventId()).isNull();
            assertThat(out.get(1).confidence()).as("the last exit has no confidence").isNull();
            assertThat(out.get(2).eventId()).isEqualTo("e1");
            assertThat(out.get(2).sequence()).isEqualTo(7L);
            assertThat(out.get(2).groundTruth()).isZero();
            assertThat(out.get(2).eventTimeMs()).isEqualTo(1_700_000_000_000L);
            assertThat(out.get(3).classIndex()).isEqualTo(1);
            assertThat(versions.get("1").batchSizes).containsExactly(4);
            assertThat(versions.get("1").lastThresholds).containsExactly(0.5f, 0.5f);
        }
    }

    @Test
    void aBadRowGetsANullLabelAndItsReasonAndTheOthersStillRun() throws Exception {
        byte[] truncated = Arrays.copyOf(png(255), 40);
        byte[] wrongShape = event("e3", 1, FrameEvent.RAW_UINT8, new int[] {2, 2, 1}, new byte[4], null);
        byte[] badLabel = event("e4", 2, FrameEvent.PNG, new int[0], png(0), 7);
        List<byte[]> rows = Arrays.asList(png(255), "hello".getBytes(), truncated, null, wrongShape, badLabel, png(0));
        try (FrameClassifier c = classifier(null, 10_000)) {
            List<Prediction> out = c.classify(rows);
            assertThat(out).extracting(Prediction::error).containsExactly(null, "not-an-event", "undecodable-image",
                    "empty-payload", "shape-mismatch", "label-out-of-range", null);
            assertThat(out).extracting(Prediction::label).containsExactly("one", null, null, null, null, null, "zero");
            assertThat(out.get(1).errorMessage()).isNotBlank();
            assertThat(out.get(4).eventId()).as("what is known of a bad event").isEqualTo("e3");
            assertThat(versions.get("1").batchSizes).as("only the good rows ran").containsExactly(2);
        }
    }

    @Test
    void theVersionSwitchesBetweenBatchesNeverWithinOne() throws Exception {
        try (FrameClassifier c = classifier(null, 100)) {
            assertThat(c.classify(List.of(png(255), png(0)))).extracting(Prediction::modelVersion).containsOnly("1");
            current = "2"; // promoted while the query runs
            clock.addAndGet(50); // before the next check: still version 1
            assertThat(c.classify(List.of(png(255)))).extracting(Prediction::modelVersion).containsOnly("1");
            clock.addAndGet(50);
            List<Prediction> after = c.classify(List.of(png(255), png(0), png(255)));
            assertThat(after).extracting(Prediction::modelVersion).containsOnly("2");
            assertThat(after).extracting(Prediction::label).containsExactly("one", "zero", "one");
            assertThat(versions.get("1").closed()).as("the old version is closed once it stops serving").isTrue();
            assertThat(versions.get("2").closed()).isFalse();
        }
        assertThat(versions.get("2").closed()).isTrue();
    }

    @Test
    void rowsPreparedOnTheCallersThreadAreConvertedThereOnceAVersionServes() throws Exception {
        try (FrameClassifier c = classifier(null, 10_000)) {
            FrameClassifier.Prepared before = c.prepare(png(255));
            assertThat(before.image()).as("no version served yet: converted later, on the batch's thread").isNull();
            assertThat(c.handle(List.of(before))).extracting(Prediction::label).containsExactly("one");
            FrameClassifier.Prepared after = c.prepare(png(255));
            assertThat(after.image()).hasSize(28 * 28);
            assertThat(after.image()[0]).isEqualTo(1f);
            FrameClassifier.Prepared bad = c.prepare(Arrays.copyOf(png(0), 40));
            assertThat(bad.error().reason().code()).isEqualTo("undecodable-image");
            assertThat(c.handle(List.of(after, bad))).extracting(Prediction::error).containsExactly(null,
                    "undecodable-image");
        }
    }

    @Test
    void withoutAModelEveryRowSaysSoAndTheModelIsTriedAgain() throws Exception {
        current = null;
        try (FrameClassifier c = classifier(null, 100)) {
            List<Prediction> out = c.classify(List.of(png(255), "x".getBytes()));
            assertThat(out).extracting(Prediction::error).containsExactly("model-unavailable", "not-an-event");
            assertThat(out.get(0).errorMessage()).contains("no current version");
            current = "1";
            clock.addAndGet(100);
            assertThat(c.classify(List.of(png(255)))).extracting(Prediction::label).containsExactly("one");
        }
    }

    @Test
    void configuredThresholdsAreUsedAndAWrongCountIsReportedPerRow() throws Exception {
        try (FrameClassifier c = classifier(new float[] {0.2f, 0.9f}, 10_000)) {
            c.classify(List.of(png(255)));
            assertThat(versions.get("1").lastThresholds).containsExactly(0.2f, 0.9f);
        }
        try (FrameClassifier c = classifier(new float[] {0.2f}, 10_000)) {
            Prediction p = c.classify(List.of(png(255))).get(0);
            assertThat(p.error()).isEqualTo("model-unavailable");
            assertThat(p.errorMessage()).contains("2 early exits but 1 thresholds");
        }
    }

    @Test
    void anEngineFailureFailsTheBatchsRowsNotTheQuery() throws Exception {
        try (FrameClassifier c = classifier(null, 10_000)) {
            c.classify(List.of(png(0)));
            versions.get("1").failure = new IllegalStateException("native crash");
            List<Prediction> out = c.classify(List.of(png(0), "x".getBytes()));
            assertThat(out).extracting(Prediction::error).containsExactly("inference-failed", "not-an-event");
            assertThat(out.get(0).errorMessage()).contains("native crash");
        }
    }
}
