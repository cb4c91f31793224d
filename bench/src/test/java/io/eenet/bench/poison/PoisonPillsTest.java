package io.eenet.bench.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.model.ModelManifest;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.ImageConverter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pills are what they claim: each gets its expected reason from the job's own decode and conversion. */
class PoisonPillsTest {

    static final ModelManifest.InputSpec MNIST = new ModelManifest.InputSpec("image", List.of(28, 28, 1), "float32",
            "NHWC", 1.0 / 255, List.of(0.1307), List.of(0.3081));

    /** What the early-exit operator does with a value: decode, then convert; the reason code of a bad one. */
    static String outcome(byte[] value, EventLimits limits) {
        try {
            FrameEvent e = new EventCodec(limits).decode(PoisonPills.key(), value);
            new ImageConverter(MNIST, limits).toModelInput(e);
            return "result";
        } catch (BadEventException bad) {
            return bad.reason().code();
        }
    }

    @Test
    void everyPillGetsItsReasonUnderTheLimitsTheBenchmarkGivesTheJob() {
        EventLimits limits = new EventLimits(PoisonPills.MAX_RECORD_BYTES, 256, 4096, 256);
        Map<String, byte[]> pills = PoisonPills.values("run-1-pill-0-");

        assertThat(pills.keySet()).isEqualTo(PoisonPills.expectedReasons().keySet());
        pills.forEach((name, value) -> assertThat(outcome(value, limits)).as(name)
                .isEqualTo(PoisonPills.expectedReasons().get(name)));
        assertThat(pills.get("72 bytes asking for 1.5 GB")).hasSize(72);
        assertThat(pills.get("1 MiB bad value")).hasSize(PoisonPills.BIG_VALUE_BYTES);
    }

    @Test
    void theWarningStormPngIsAReadableImage() {
        byte[] storm = PoisonPills.warningStormPng(15_000);
        byte[] value = EventCodec.encode(new FrameEvent(PoisonPills.STREAM, "storm", 0, 0, FrameEvent.PNG, new int[0],
                storm, null));

        assertThat(storm.length).isGreaterThan(12 * 15_000);
        assertThat(outcome(value, new EventLimits(PoisonPills.MAX_RECORD_BYTES, 256, 4096, 256))).isEqualTo("result");
    }

    @Test
    void anIdPrefixThatWouldPushTheLargeValueOverOneMebibyteIsRefused() {
        assertThatThrownBy(() -> PoisonPills.values("x".repeat(31))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 30 characters");
    }
}
