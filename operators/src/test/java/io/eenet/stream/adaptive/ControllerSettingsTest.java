package io.eenet.stream.adaptive;

import static io.eenet.testutils.InvalidValue.bad;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.stream.adaptive.ControllerSettings.Builder;
import io.eenet.testutils.InvalidValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ControllerSettings#builder()}: its defaults and its checks. */
class ControllerSettingsTest {

    @Test
    void defaultsBuildTheSettingsTheyWereBefore() {
        // ControllerSettings.defaults as it was written positionally before the builder (commit 04358bd)
        assertThat(ControllerSettings.builder().build())
                .isEqualTo(new ControllerSettings(500, 0.05f, 1f, 500, 0.5, 0.5, 0.3, 0.05, 4))
                .isEqualTo(ControllerSettings.defaults(500));
        assertThat(ControllerSettings.defaults(250))
                .isEqualTo(new ControllerSettings(250, 0.05f, 1f, 500, 0.5, 0.5, 0.3, 0.05, 4));
    }

    @Test
    void everySetterSetsItsField() {
        assertThat(ControllerSettings.builder().targetDelayMs(123).floor(0.25f).ceiling(0.75f).periodMs(7)
                .lowWatermark(0.125).gain(2).maxStep(0.5).recoveryStep(0.0625).recoveryPeriods(3).build())
                .isEqualTo(new ControllerSettings(123, 0.25f, 0.75f, 7, 0.125, 2, 0.5, 0.0625, 3));
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        ControllerSettings.builder().floor(0).ceiling(0).periodMs(1).recoveryPeriods(1).build();
        ControllerSettings.builder().floor(1).ceiling(1).build();
        ControllerSettings.builder().floor(0.5f).ceiling(0.5f).lowWatermark(0.999).build();
    }

    /** Java deserialization goes through the checking constructor too: a valid instance comes back equal. */
    @Test
    void survivesJavaSerialization() throws Exception {
        ControllerSettings settings = ControllerSettings.builder().targetDelayMs(200).floor(0.2f).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(settings);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(settings);
        }
    }

    static Stream<InvalidValue<Builder>> invalid() {
        return Stream.of(
                bad("targetDelayMs", b -> b.targetDelayMs(0), "0.0"),
                bad("targetDelayMs", b -> b.targetDelayMs(-5), "-5.0"),
                bad("targetDelayMs", b -> b.targetDelayMs(Double.NaN), "NaN"),
                bad("targetDelayMs", b -> b.targetDelayMs(Double.POSITIVE_INFINITY), "Infinity"),
                bad("floor", b -> b.floor(-0.1f), "-0.1"),
                bad("floor", b -> b.floor(1.5f), "1.5"),
                bad("ceiling", b -> b.ceiling(1.5f), "1.5"),
                bad("ceiling", b -> b.ceiling(-1f), "-1.0"),
                bad("floor", b -> b.floor(0.6f).ceiling(0.4f), "floor 0.6 and ceiling 0.4"),
                bad("periodMs", b -> b.periodMs(0), "0"),
                bad("lowWatermark", b -> b.lowWatermark(0), "0.0"),
                bad("lowWatermark", b -> b.lowWatermark(1), "1.0"),
                bad("gain", b -> b.gain(0), "0.0"),
                bad("gain", b -> b.gain(Double.NaN), "NaN"),
                bad("maxStep", b -> b.maxStep(-0.3), "-0.3"),
                bad("recoveryStep", b -> b.recoveryStep(0), "0.0"),
                bad("recoveryPeriods", b -> b.recoveryPeriods(0), "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsEachInvalidValueNamingTheField(InvalidValue<Builder> bad) {
        bad.assertRejected(ControllerSettings::builder, Builder::build);
    }
}
