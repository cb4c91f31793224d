package io.eenet.stream.format;

import static io.eenet.stream.format.BadEventAssert.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
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

        assertBad(() -> ResultCodec.decodeDeadLetter(value), Reason.UNKNOWN_FORMAT_VERSION, "DeadLetter v1");
    }

    @Test
    void schemasV1AreFrozen() {
        // A change to FrameResult.avsc or DeadLetter.avsc is a new format version: add it, do not edit v1.
        assertThat(SingleObjectFormat.hex(ResultCodec.RESULT.fingerprint())).isEqualTo("3a4bf046bd49e636");
        assertThat(SingleObjectFormat.hex(ResultCodec.DEAD_LETTER.fingerprint())).isEqualTo("7a86323779dd85c2");
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
