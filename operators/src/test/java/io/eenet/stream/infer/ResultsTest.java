package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.model.runtime.Outcome;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.Reason;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void aNonFiniteProbabilityIsADeadLetterOfItsOwnReason() {
        Outcome.Exited nan = new Outcome.Exited(0, new float[] {Float.NaN, 0.5f}, 0.9f, 1, 0.3, "3");
        Outcome.Exited inf = new Outcome.Exited(1, new float[] {0.1f, Float.POSITIVE_INFINITY}, 0.9f, 0, 0.3, "3");

        BadEventException bad = Results.nonFinite(nan, "mnist@3");
        assertThat(bad.reason()).isEqualTo(Reason.NON_FINITE_OUTPUT);
        assertThat(bad.getMessage()).contains("mnist@3 gave probability NaN for class 0 at exit 1");
        assertThat(Results.nonFinite(inf, "mnist@3").getMessage()).contains("Infinity for class 1");
    }

    @Test
    void finiteProbabilitiesWithTheLastExitsNaNConfidencePass() {
        Outcome.Exited last = new Outcome.Exited(1, new float[] {0.25f, 0.75f}, Float.NaN, 2, 1.0, "3");

        assertThat(Results.nonFinite(last, "mnist@3")).isNull();
    }
}
