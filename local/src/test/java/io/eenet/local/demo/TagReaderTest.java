package io.eenet.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import org.junit.jupiter.api.Test;

/** A tag of the SQL example becomes what the demo's statistics count: a result or a dead letter. */
class TagReaderTest {

    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void aLabelledTagIsAResultWithItsPathFromItsExit() throws Exception {
        JsonNode tag = json("""
                {"stream_id":"cam-a","event_id":"demo-1","sequence":52,"label":"3","class_index":3,
                 "probability":0.25,"confidence":null,"exit_index":2,"cost":1.0,"model_version":"7",
                 "ground_truth":3,"event_time_ms":1000,"error":null,"error_message":null,"partition":1,"offset":52}""");
        FrameResult r = TagReader.result(tag, "demo-1", 1_250);
        assertThat(r.eventId()).isEqualTo("demo-1");
        assertThat(r.streamId()).isEqualTo("cam-a");
        assertThat(r.label()).isEqualTo(3);
        assertThat(r.labelName()).isEqualTo("3");
        assertThat(r.correct()).isTrue();
        assertThat(r.confidence()).isNaN();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.path()).isEqualTo(FrameResult.PATH_HEAVY);
        assertThat(r.modelVersion()).isEqualTo("7");
        assertThat(r.latencyMs()).as("event time to the tag's Kafka timestamp").isEqualTo(250);

        JsonNode early = json("{\"event_id\":\"demo-2\",\"class_index\":1,\"exit_index\":0,\"ground_truth\":null,"
                + "\"confidence\":0.9,\"event_time_ms\":5}");
        FrameResult e = TagReader.result(early, "demo-2", 9);
        assertThat(e.path()).isEqualTo(FrameResult.PATH_EARLY);
        assertThat(e.groundTruth()).isNull();
        assertThat(e.confidence()).isEqualTo(0.9f);
    }

    @Test
    void anErrorTagIsADeadLetterWithItsReason() throws Exception {
        JsonNode tag = json("{\"stream_id\":\"cam-x\",\"event_id\":null,\"label\":null,\"error\":\"not-an-event\","
                + "\"error_message\":\"no marker\",\"partition\":0,\"offset\":17}");
        DeadLetter d = TagReader.deadLetter(tag, null);
        assertThat(d.reason()).isEqualTo("not-an-event");
        assertThat(d.message()).isEqualTo("no marker");
        assertThat(d.streamId()).isEqualTo("cam-x");
        assertThat(d.offset()).isEqualTo(17);
    }
}
