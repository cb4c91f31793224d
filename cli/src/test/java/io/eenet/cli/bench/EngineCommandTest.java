package io.eenet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.cli.bench.EngineCommand.Choice;
import io.eenet.cli.bench.EngineCommand.Report;
import io.eenet.cli.bench.EngineCommand.Row;
import io.eenet.cli.bench.EngineCommand.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineCommandTest {

    @Test
    void eachRoleGetsTheCombinationThatIsFastestForIt() {
        // off/default is the fastest single thread, on/default runs stage 0 fastest, off/1 the later stages, and
        // on/1 lets a job with both operators in one process take the most events
        List<Row> rows = List.of(
                new Row(new Setting(0, 0), 0.040, 0.080, 0.045, 0.15, 9_000),
                new Row(new Setting(1, 0), 0.030, 0.090, 0.046, 0.11, 10_000),
                new Row(new Setting(0, 1), 0.050, 0.070, 0.055, 0.20, 12_000),
                new Row(new Setting(1, 1), 0.045, 0.085, 0.050, 0.17, 20_000));
        assertThat(EngineCommand.best(rows, Row::eenet)).isEqualTo(new Setting(0, 0));
        assertThat(EngineCommand.best(rows, Row::early)).isEqualTo(new Setting(1, 0));
        assertThat(EngineCommand.best(rows, Row::heavy)).isEqualTo(new Setting(0, 1));
        assertThat(EngineCommand.best(rows, r -> -r.jobEventsPerSecond())).isEqualTo(new Setting(1, 1));
    }

    @Test
    void theEnvironmentFileHoldsOneChoicePerRoleThatTheLauncherReads() {
        Row off = new Row(new Setting(0, 0), 0.04, 0.09, 0.05, 0.16, 9_000);
        Row on1 = new Row(new Setting(1, 1), 0.03, 0.10, 0.04, 0.11, 20_000);
        Report r = new Report("Test CPU", "m 1", "b", new double[] {1, 0.1}, List.of(off, on1),
                new Choice(on1.setting(), on1.setting(), off.setting(), on1.setting()), "/x.env");
        String env = r.envFile();
        // the launcher accepts exactly these lines (its regular expression), everything else is a comment
        List<String> settings = env.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(settings).containsExactly("TF_ENABLE_ONEDNN_OPTS=1", "TF_NUM_INTRAOP_THREADS=1",
                "EENET_EARLY_TF_ENABLE_ONEDNN_OPTS=1", "EENET_EARLY_TF_NUM_INTRAOP_THREADS=1",
                "EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS=0", "EENET_HEAVY_TF_NUM_INTRAOP_THREADS=0",
                "EENET_LOCAL_TF_ENABLE_ONEDNN_OPTS=1", "EENET_LOCAL_TF_NUM_INTRAOP_THREADS=1");
        assertThat(settings).allMatch(l -> l.matches(
                "^((EENET_(EARLY|HEAVY|LOCAL)_)?(TF_ENABLE_ONEDNN_OPTS|TF_NUM_INTRAOP_THREADS))=([0-9]+)$"));
        assertThat(env).contains("Test CPU", "oneDNN off, intra-op default: m 1 stage 0 0.0400", "b 0.1100 ms/image",
                "a job could take 20,000 events/s");
    }
}
