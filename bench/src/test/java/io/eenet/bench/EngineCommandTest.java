package io.eenet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.bench.EngineCommand.Choice;
import io.eenet.bench.EngineCommand.Report;
import io.eenet.bench.EngineCommand.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineCommandTest {

    @Test
    void theStagesAreWeightedByTheShareOfValidationImagesThatReachThem() {
        double[] reach = EngineCommand.reach(3, Map.of("validationExitCounts", List.of(80, 15, 5)));
        assertThat(reach[0]).isEqualTo(1.0);
        assertThat(reach[1]).isCloseTo(0.20, within(1e-12));
        assertThat(reach[2]).isCloseTo(0.05, within(1e-12));
        // without validation exits every stage counts fully (the worst case)
        assertThat(EngineCommand.reach(3, Map.of("validationAccuracy", 0.99))).containsExactly(1.0, 1.0, 1.0);
        assertThat(EngineCommand.reach(3, null)).containsExactly(1.0, 1.0, 1.0);
    }

    @Test
    void theEnvironmentFileHoldsOneChoicePerRoleThatTheLauncherReads() {
        Report r = new Report("Test CPU", "m 1", "b", new double[] {1, 0.1}, List.of(new Row("0", 0.04, 0.09, 0.05,
                0.16), new Row("1", 0.03, 0.10, 0.04, 0.11)), new Choice("1", "0", "1"), "/x.env");
        String env = r.envFile();
        // the launcher accepts exactly these lines (its regular expression), everything else is a comment
        List<String> settings = env.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(settings).containsExactly("TF_ENABLE_ONEDNN_OPTS=1", "EENET_EARLY_TF_ENABLE_ONEDNN_OPTS=1",
                "EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS=0");
        assertThat(settings).allMatch(l -> l.matches("^((EENET_EARLY_|EENET_HEAVY_)?TF_ENABLE_ONEDNN_OPTS)=([01])$"));
        assertThat(env).contains("Test CPU", "stage 0 0.0400", "b 0.1100 ms/image");
    }
}
