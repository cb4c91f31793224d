package io.eenet.stream.format;

import static io.eenet.stream.format.BadEventAssert.assertBad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

class ResultCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FrameResult result(Integer groundTruth, float confidence) {
        return new FrameResult("event-1", "camera-1", 42, 1_700_000_000_000L, groundTruth, 7, "seven", 0.75f,
                confidence, 1, 0.4375, FrameResult.PATH_EARLY, new float[] {0.9f, 0.8f}, "mnist-eenet20", "3",
                1_700_000_000_100L, 1_700_000_000_150L);
    }

    private static DeadLetter deadLetter(byte[] key, byte[] value) {
        return new DeadLetter("undecodable-image", "payload is not a readable png image", key == null ? null : "cam",
                null, key, value, "frames", 2, 1234L, 1_700_000_000_200L);
    }

    @Test
    void resultRoundTripsWithNaNConfidenceAndNoGroundTruth() throws Exception {
        FrameResult r = result(null, Float.NaN);

        FrameResult back = ResultCodec.decodeResult(ResultCodec.encode(r));

        // Field by field: FrameResult.equals compares the thresholds array by identity, and NaN != NaN.
        assertThat(back).usingRecursiveComparison().ignoringFields("confidence").isEqualTo(r);
        assertThat(back.confidence()).isNaN();
        assertThat(back.thresholds()).containsExactly(0.9f, 0.8f);
    }

    @Test
    void resultRoundTripsWithGroundTruth() throws Exception {
        FrameResult r = result(7, 0.95f);

        assertThat(ResultCodec.decodeResult(ResultCodec.encode(r))).usingRecursiveComparison().isEqualTo(r);
    }

    /**
     * The direct encoder writes what Avro's generic writer writes for the same record, byte for byte: over random
     * results with and without ground truth, NaN and infinite floats, negative and extreme numbers, empty and
     * non-ASCII strings, and zero to five thresholds.
     */
    @Test
    void aResultIsEncodedAsAvrosGenericWriterEncodesIt() {
        Random random = new Random(11);
        String[] texts = {"", "e", "camera-17", "ünïcödé ✓", "𝛼-stream", "x".repeat(300)};
        float[] floats = {0f, -0f, 0.5f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3.25e7f};
        long[] longs = {0, -1, 1, 63, 64, -65, Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_000L};
        int[] ints = {0, -1, 1, 63, 64, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < 2_000; i++) {
            float[] thresholds = new float[random.nextInt(6)];
            for (int t = 0; t < thresholds.length; t++) {
                thresholds[t] = floats[random.nextInt(floats.length)];
            }
            FrameResult r = new FrameResult(texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)],
                    longs[random.nextInt(longs.length)], longs[random.nextInt(longs.length)],
                    random.nextBoolean() ? null : ints[random.nextInt(ints.length)], ints[random.nextInt(ints.length)],
                    texts[random.nextInt(texts.length)], floats[random.nextInt(floats.length)],
                    floats[random.nextInt(floats.length)], ints[random.nextInt(ints.length)],
                    random.nextBoolean() ? random.nextDouble() : -Double.MAX_VALUE, texts[random.nextInt(texts.length)],
                    thresholds, texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)],
                    longs[random.nextInt(longs.length)], longs[random.nextInt(longs.length)]);
            assertThat(ResultCodec.encode(r)).as("result %s", i).isEqualTo(ResultCodec.RESULT.encode(generic(r)));
        }
    }

    @Test
    void aResultWithoutARequiredStringIsRefusedNamingTheField() {
        FrameResult r = result(null, 0.5f);
        FrameResult noLabelName = new FrameResult(r.eventId(), r.streamId(), r.sequence(), r.eventTimeMs(), null,
                r.label(), null, r.probability(), r.confidence(), r.exit(), r.cost(), r.path(), r.thresholds(),
                r.modelName(), r.modelVersion(), r.ingestTimeMs(), r.resultTimeMs());

        assertThatThrownBy(() -> ResultCodec.encode(noLabelName))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("FrameResult.labelName");
    }

    /**
     * The result as a generic record of the FrameResult v1 schema, as Avro's generic writer takes it: each of the
     * schema's fields, in the schema's order, from the record component of the same name.
     */
    private static GenericRecord generic(FrameResult f) {
        GenericRecord r = new GenericData.Record(ResultCodec.RESULT.schema());
        try {
            for (Schema.Field field : r.getSchema().getFields()) {
                Object value = FrameResult.class.getMethod(field.name()).invoke(f);
                if (value instanceof float[] floats) {
                    List<Float> list = new ArrayList<>();
                    for (float x : floats) {
                        list.add(x);
                    }
                    value = list;
                }
                r.put(field.name(), value);
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("FrameResult has no component for a field of its schema", e);
        }
        return r;
    }

    @Test
    void deadLetterRoundTripsWithAndWithoutTheOriginalBytes() throws Exception {
        for (DeadLetter d : new DeadLetter[] {deadLetter(new byte[] {'c', 'a', 'm'}, new byte[] {1, 2, 3}),
                deadLetter(null, null)}) {
            assertThat(ResultCodec.decodeDeadLetter(ResultCodec.encode(d))).usingRecursiveComparison().isEqualTo(d);
        }
    }

    @Test
    void aResultIsNotADeadLetter() {
        byte[] value = ResultCodec.encode(result(null, 0.5f));

        assertBad(() -> ResultCodec.decodeDeadLetter(value), Reason.UNKNOWN_FORMAT_VERSION, "DeadLetter v2");
    }

    @Test
    void schemasAreFrozen() {
        // A change to an .avsc is a new format version: add it, do not edit an old one.
        assertThat(SingleObjectFormat.hex(ResultCodec.RESULT.fingerprint())).isEqualTo("3a4bf046bd49e636");
        assertThat(SingleObjectFormat.hex(ResultCodec.DEAD_LETTER_V1.fingerprint())).isEqualTo("7a86323779dd85c2");
        assertThat(SingleObjectFormat.hex(ResultCodec.DEAD_LETTER.fingerprint())).isEqualTo(DEAD_LETTER_V2);
    }

    /** CRC-64-AVRO of DeadLetterV2.avsc, as docs/event-format.md gives it. */
    private static final String DEAD_LETTER_V2 = "0025451d6bc96ebc";

    @Test
    void deadLettersOfVersion1AreStillRead() throws Exception {
        GenericRecord r = new GenericData.Record(ResultCodec.DEAD_LETTER_V1.schema());
        r.put("reason", "not-an-event");
        r.put("message", "m");
        r.put("key", ByteBuffer.wrap(new byte[] {1}));
        r.put("value", ByteBuffer.wrap(new byte[] {2, 3}));
        r.put("topic", "frames");
        r.put("partition", 1);
        r.put("offset", 5L);
        r.put("timeMs", 6L);

        DeadLetter d = ResultCodec.decodeDeadLetter(ResultCodec.DEAD_LETTER_V1.encode(r));

        assertThat(d).usingRecursiveComparison().isEqualTo(new DeadLetter("not-an-event", "m", null, null,
                new byte[] {1}, new byte[] {2, 3}, "frames", 1, 5, 6));
    }

    @Test
    void aValueOverTheLimitKeepsItsFirstBytesSizeAndSha256() throws Exception {
        byte[] value = new byte[5000];
        new Random(1).nextBytes(value);
        byte[] key = "k".repeat(300).getBytes(StandardCharsets.UTF_8);
        DeadLetterLimits limits = new DeadLetterLimits(1000, 100, 200);
        DeadLetter d = new DeadLetter("undecodable-image", "x".repeat(10_000), "cam", "e", key, value, "frames", 0, 1, 2);

        DeadLetter back = ResultCodec.decodeDeadLetter(ResultCodec.encode(d, limits));

        assertThat(back.value()).isEqualTo(Arrays.copyOf(value, 1000));
        assertThat(back.valueOriginal().size()).isEqualTo(5000);
        assertThat(back.valueOriginal().sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(value));
        assertThat(back.key()).isEqualTo(Arrays.copyOf(key, 100));
        assertThat(back.keyOriginal().size()).isEqualTo(300);
        assertThat(back.message()).hasSize(200).startsWith("xxx").endsWith("... (cut, 10000 characters in all)");
        assertThat(ResultCodec.decodeDeadLetter(ResultCodec.encode(deadLetter(key, value))).valueOriginal())
                .as("within the default limits").isNull();
    }

    @Test
    void theLargestDeadLetterFitsTheBoundTheProducerIsGiven() throws Exception {
        DeadLetterLimits limits = new DeadLetterLimits(4096, 512, 300);
        String wide = "\u20AC"; // 3 bytes of UTF-8 per UTF-16 unit: the worst case for text
        DeadLetter worst = new DeadLetter(Reason.UNEXPECTED_ERROR.code(), wide.repeat(100_000), wide.repeat(5000),
                wide.repeat(5000), new byte[100_000], new byte[1 << 20], "t".repeat(249), Integer.MIN_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE);

        byte[] value = ResultCodec.encode(worst, limits);
        DeadLetter bounded = ResultCodec.bound(worst, limits);
        byte[] kafkaKey = bounded.keyOriginal() == null ? bounded.key() : new byte[limits.maxKeyBytes()];
        int kafkaSize = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE, kafkaKey, value, new Header[0]);

        assertThat((long) value.length).isLessThanOrEqualTo(limits.maxEncodedValueBytes());
        assertThat((long) kafkaSize).isLessThanOrEqualTo(limits.maxRecordBytes());
        assertThat(limits.maxRecordBytes() - kafkaSize).as("a tight bound").isLessThan(32 << 10);
        assertThat(DeadLetterLimits.DEFAULTS.maxRecordBytes()).as("fits a default broker").isLessThan(1_048_588);
    }

    @Test
    void cuttingTextNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00".repeat(100);

        for (int max = 64; max < 100; max++) {
            String cut = ResultCodec.cut(emoji, max);
            assertThat(cut.length()).isLessThanOrEqualTo(max);
            assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("...") - 1))).isFalse();
        }
    }

    @Test
    void resultJsonIsOneLineWithNaNAsNull() throws Exception {
        String json = ResultCodec.toJson(result(null, Float.NaN));

        assertThat(json).doesNotContain("\n").doesNotContain("NaN");
        JsonNode node = JSON.readTree(json);
        assertThat(node.get("confidence").isNull()).isTrue();
        assertThat(node.get("groundTruth").isNull()).isTrue();
        assertThat(node.get("label").asInt()).isEqualTo(7);
        assertThat(node.get("labelName").asText()).isEqualTo("seven");
        assertThat(node.get("probability").floatValue()).isEqualTo(0.75f);
        assertThat(node.get("thresholds").get(1).floatValue()).isEqualTo(0.8f);
        assertThat(node.get("resultTimeMs").asLong()).isEqualTo(1_700_000_000_150L);
        assertThat(node.size()).isEqualTo(FrameResult.class.getRecordComponents().length);
    }

    @Test
    void resultJsonKeepsAConfidence() throws Exception {
        assertThat(JSON.readTree(ResultCodec.toJson(result(3, 0.5f))).get("confidence").floatValue()).isEqualTo(0.5f);
    }

    @Test
    void deadLetterJsonHasBytesInBase64() throws Exception {
        JsonNode node = JSON.readTree(ResultCodec.toJson(deadLetter(new byte[] {'c', 'a', 'm'}, new byte[] {-1, 0})));

        assertThat(node.get("reason").asText()).isEqualTo("undecodable-image");
        assertThat(node.get("key").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {'c', 'a', 'm'}));
        assertThat(node.get("value").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {-1, 0}));
        assertThat(node.get("eventId").isNull()).isTrue();
        assertThat(node.get("offset").asLong()).isEqualTo(1234L);
        assertThat(node.size()).isEqualTo(DeadLetter.class.getRecordComponents().length);
    }
}
