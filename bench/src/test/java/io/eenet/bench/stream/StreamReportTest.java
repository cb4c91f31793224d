package io.eenet.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.bench.stream.StreamReport.Goals;
import io.eenet.bench.stream.StreamReport.LatencyRun;
import io.eenet.bench.stream.StreamReport.ModelRun;
import io.eenet.bench.stream.StreamReport.RuntimeReference;
import io.eenet.bench.stream.StreamReport.Saturation;
import io.eenet.bench.stream.StreamReport.Setup;
import io.eenet.bench.stream.StreamReport.WarmUp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamReportTest {

    static ModelRun model(String name, double rate, double cost, boolean complete) {
        Throughput t = new Throughput(1000, 800, 0, 1000, rate);
        Saturation s = new Saturation(1000, complete ? 1000 : 999, 0, 0, complete, t, rate * 0.9, 3.5,
                new CpuUse(10, 1.9, 1.2, 0.1));
        List<LatencyRun> latency = List.of(
                new LatencyRun(0.5, rate / 2, rate / 2, rate / 2, 500, true, 40, 90, 600, 1100),
                new LatencyRun(0.9, rate * 0.9, rate * 0.9, rate * 0.9, 900, true, Double.NaN, 120, 650, 1150));
        return new ModelRun(name, "1", s, 0.99, cost, Map.of(0, 1000L), 0, latency, List.of(), List.of(s));
    }

    static StreamReport report(double eenetRate, double baselineRate, double runtimeRate) {
        Setup setup = new Setup(2, "0", "1", "-1", "17", "mnist/test", 1000, 64, 1000, 5, 20, 4, 4, 2, 1, List.of(0.5, 0.9), 0.05,
                Double.NaN, List.of(0.3f, 0.3f), true);
        RuntimeReference rt = new RuntimeReference(64, 10_000, 5, runtimeRate, List.of(runtimeRate), runtimeRate,
                runtimeRate / 4, List.of(4.0));
        PerEventCosts costs = new PerEventCosts(2000, 64, 6, 25, 70, 80, 240, 10, 5000, 2600);
        return new StreamReport(setup, rt, costs, List.of(
                new WarmUp("mnist-eenet", 10_000, 0.1, List.of(new WarmUp.Round(900, 0.8), new WarmUp.Round(1200, 0.05))),
                new WarmUp("mnist-baseline", 10_000, 0.1, List.of(new WarmUp.Round(700, 0.5)))), model("mnist-eenet", eenetRate, 0.12, true),
                model("mnist-baseline", baselineRate, 1.0, true),
                new StreamReport.StaticJob("mnist-baseline", 0.99, baselineRate, eenetRate / baselineRate, true, null),
                Goals.of(eenetRate / baselineRate, eenetRate / baselineRate / rt.pooledSpeedup()));
    }

    @Test
    void theReferenceWithTheHigherPooledRatioCounts() {
        RuntimeReference busy = new RuntimeReference(64, 10_000, 5, 50_000, List.of(50_000.0), 57_000, 12_700,
                List.of(57_000 / 12_700.0));
        RuntimeReference quiet = new RuntimeReference(64, 10_000, 5, 56_000, List.of(56_000.0), 69_000, 13_000,
                List.of(69_000 / 13_000.0));

        RuntimeReference chosen = busy.higherOf(quiet);
        assertThat(chosen.pooledEventsPerSecond()).isEqualTo(69_000);
        assertThat(chosen.baselineEventsPerSecond()).isEqualTo(13_000);
        assertThat(chosen.pooledSpeedups()).as("both ratios, in the order measured")
                .containsExactly(57_000 / 12_700.0, 69_000 / 13_000.0);
        assertThat(quiet.higherOf(busy).pooledEventsPerSecond()).isEqualTo(69_000);
        assertThat(quiet.higherOf(busy).pooledSpeedups()).containsExactly(69_000 / 13_000.0, 57_000 / 12_700.0);
    }

    @Test
    void goalsMetOrNotFromTheRatios() {
        Goals met = Goals.of(3.5, 0.9);
        assertThat(met.speedupMet()).isTrue();
        assertThat(met.ratioKeptMet()).isTrue();
        Goals missed = Goals.of(3.49, 0.89);
        assertThat(missed.speedupMet()).isFalse();
        assertThat(missed.ratioKeptMet()).isFalse();
    }

    @Test
    void jsonHasTheFiguresTheIssueAsksFor() throws Exception {
        JsonNode j = new ObjectMapper().readTree(report(1200, 1500, 8000).toJson());
        assertThat(j.get("speedup").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(j.get("runtimeEarlyExitEventsPerSecond").asDouble()).isEqualTo(8000);
        assertThat(j.get("streamOverRuntime").asDouble()).isCloseTo(0.15, within(1e-9));
        assertThat(j.at("/goals/speedup/met").asBoolean()).isFalse();
        assertThat(j.at("/goals/speedup/goal").asDouble()).isEqualTo(3.5);
        // the runtime reference's pooled EENet is 4x its baseline; the stream's 0.8x keeps a fifth of it
        assertThat(j.get("ratioKept").asDouble()).isCloseTo(0.2, within(1e-9));
        assertThat(j.at("/goals/ratioKept/met").asBoolean()).isFalse();
        assertThat(j.at("/statics/against").asText()).isEqualTo("mnist-baseline");
        assertThat(j.at("/statics/speedupVsStatic").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(j.at("/statics/job").isMissingNode()).isTrue();
        for (String m : List.of("eenet", "baseline")) {
            JsonNode model = j.get(m);
            assertThat(model.get("saturationEventsPerSecond").isNumber()).isTrue();
            assertThat(model.get("accuracy").asDouble()).isEqualTo(0.99);
            assertThat(model.get("avgCost").isNumber()).isTrue();
            assertThat(model.at("/latencyAt50/p50LatencyMs").asDouble()).isEqualTo(40);
            assertThat(model.at("/latencyAt50/visibleP99LatencyMs").asDouble()).isEqualTo(1100);
            assertThat(model.at("/latencyAt90/p99LatencyMs").asDouble()).isEqualTo(120);
            assertThat(model.at("/latencyAt90/p50LatencyMs").isNull()).isTrue(); // NaN is null, not "NaN"
            assertThat(model.at("/saturation/complete").asBoolean()).isTrue();
        }
        assertThat(j.at("/eenet/avgCost").asDouble()).isEqualTo(0.12);
        assertThat(j.at("/setup/loadAverageBefore").asDouble()).isEqualTo(0.05);
        assertThat(j.at("/setup/earlyParallelism").asInt()).isEqualTo(2);
        assertThat(j.at("/setup/thresholds/0").asDouble()).isCloseTo(0.3, within(1e-6));
        assertThat(j.at("/eenet/saturation/jitCompilingCores").asDouble()).isEqualTo(0.1);
        assertThat(j.at("/warmUps/0/settled").asBoolean()).isTrue();
        assertThat(j.at("/warmUps/1/settled").asBoolean()).isFalse();
        assertThat(j.at("/warmUps/0/rounds/1/jitCompilingCores").asDouble()).isEqualTo(0.05);
    }

    @Test
    void tableSaysWhetherEachGoalIsMet() {
        String missed = print(report(1200, 1500, 8000));
        assertThat(missed).contains("EENet/baseline stream throughput: 0.80x (goal >= 3.5): NOT met");
        assertThat(missed).contains("the stream keeps 0.20 of the runtime's EENet (pooled) / baseline ratio 4.00x"
                + " (goal >= 0.90): NOT met; EENet stream / runtime early exit 0.15");
        assertThat(missed).contains("against the fastest static network that reaches the EENet's accuracy in the"
                + " runtime reference: mnist-baseline (99.00%), its job 1,500 events/s: speedupVsStatic 0.80x");
        assertThat(missed).contains("1,200").contains("complete");
        assertThat(missed).contains("4 cameras over 4 partitions, parallelism 2 + 1");
        assertThat(missed).contains("early-exit thresholds [0.3, 0.3] (--threshold)").contains("JIT compiling 0.10");
        assertThat(missed).contains("before mnist-eenet: 2 saturation runs of 10,000 events, JIT compiling 0.80"
                + " 0.05 cores; the last 1,200 events/s: settled (< 0.10)");
        assertThat(missed).contains("before mnist-baseline: 1 saturation runs").contains("NOT settled");

        String met = print(report(6000, 1500, 8000));
        assertThat(met).contains("EENet/baseline stream throughput: 4.00x (goal >= 3.5): met");
        assertThat(met).contains("the stream keeps 1.00 of the runtime's EENet (pooled) / baseline ratio 4.00x"
                + " (goal >= 0.90): met");
    }

    @Test
    void theSqlVariantIsReportedAgainstTheDataStreamJob() throws Exception {
        StreamReport r = report(1200, 1500, 8000);
        assertThat(new ObjectMapper().readTree(r.toJson()).has("sql")).isFalse();
        assertThat(print(r)).doesNotContain("SQL");
        StreamReport.SqlRun sql = new StreamReport.SqlRun(1000, 1000, 0, true,
                new Throughput(1000, 800, 0, 1000, 900), 0.98, 0.5, 12.5, 1, new CpuUse(10, 1.9, 1.7, 0.05));
        StreamReport withSql = new StreamReport(r.setup(), r.runtime(), r.costs(), r.warmUps(), r.eenet(), r.baseline(),
                r.statics(), r.goals(), sql);
        JsonNode j = new ObjectMapper().readTree(withSql.toJson());
        assertThat(j.at("/sql/saturationEventsPerSecond").asDouble()).isEqualTo(900);
        assertThat(j.at("/sql/accuracy").asDouble()).isEqualTo(0.98);
        assertThat(j.at("/sql/jvmCpuCores").asDouble()).isEqualTo(1.7);
        assertThat(j.get("sqlOverDataStream").asDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(print(withSql)).contains("EENet SQL / DataStream stream throughput: 0.75 (goal >= 0.8): NOT met")
                .contains("900 events/s").contains("CPU from the query's submission to its last tag, in cores of")
                .contains("this JVM 1.70 (JIT compiling 0.05)");
    }

    @Test
    void anIncompleteRunIsFlagged() {
        StreamReport r = report(1200, 1500, 8000);
        StreamReport incomplete = new StreamReport(r.setup(), r.runtime(), r.costs(), r.warmUps(),
                model("mnist-eenet", 1200, 0.12, false), r.baseline(), r.statics(), r.goals());
        assertThat(print(incomplete)).contains("INCOMPLETE");
        assertThat(print(r)).doesNotContain("INCOMPLETE");
    }

    @Test
    void saturationRunsSetAsideAreReportedWithTheirJit() throws Exception {
        StreamReport r = report(1200, 1500, 8000);
        Saturation slow = new Saturation(1000, 1000, 0, 0, true, new Throughput(1000, 800, 0, 1000, 900), 850, 3.5,
                new CpuUse(10, 1.9, 1.2, 0.24));
        ModelRun e = r.eenet();
        ModelRun repeated = new ModelRun(e.name(), e.version(), e.saturation(), e.accuracy(), e.avgCost(), e.exits(),
                e.heavyPath(), e.latency(), List.of(slow), e.saturationRuns());
        StreamReport withRepeat = new StreamReport(r.setup(), r.runtime(), r.costs(), r.warmUps(), repeated,
                r.baseline(), r.statics(), r.goals());

        assertThat(print(withRepeat)).contains("eenet: 1 saturation run(s) set aside, the JVM still compiling: 900"
                + " events/s (JIT compiling 0.24)");
        assertThat(print(r)).doesNotContain("set aside");
        JsonNode j = new ObjectMapper().readTree(withRepeat.toJson());
        assertThat(j.get("eenet").get("saturationRunsSetAside")).hasSize(1);
        assertThat(j.get("eenet").get("saturationRunsSetAside").get(0).get("jitCompilingCores").asDouble())
                .isEqualTo(0.24);
        assertThat(j.get("baseline").get("saturationRunsSetAside")).isEmpty();
    }

    @Test
    void whereTheJvmsCoresWentIsReportedByThread() throws Exception {
        StreamReport r = report(1200, 1500, 8000);
        Map<String, Double> threads = new LinkedHashMap<>();
        threads.put(CpuUse.TENSORFLOW, 0.78);
        threads.put("early-exit task: reader, operator and sink", 0.09);
        threads.put("other", 0.001);
        Saturation s = r.eenet().saturation();
        Saturation withThreads = new Saturation(s.events(), s.results(), s.deadLetters(), s.duplicates(), s.complete(),
                s.throughput(), s.drainEventsPerSecond(), s.firstResultSeconds(), new CpuUse(10, 1.9, 1.2, 0.1,
                threads));
        ModelRun e = r.eenet();
        StreamReport report = new StreamReport(r.setup(), r.runtime(), r.costs(), r.warmUps(), new ModelRun(e.name(),
                e.version(), withThreads, e.accuracy(), e.avgCost(), e.exits(), e.heavyPath(), e.latency(),
                e.setAside(), List.of(withThreads)), r.baseline(), r.statics(), r.goals());

        assertThat(print(report)).contains("eenet, this JVM's cores by thread: TensorFlow (native threads) 0.78,"
                + " early-exit task: reader, operator and sink 0.09\n").doesNotContain("other 0.00")
                .doesNotContain("baseline, this JVM's cores by thread");
        JsonNode j = new ObjectMapper().readTree(report.toJson()).at("/eenet/saturation/jvmThreadCores");
        assertThat(j.get(CpuUse.TENSORFLOW).asDouble()).isEqualTo(0.78);
        assertThat(j.get("other").asDouble()).isEqualTo(0.001);
    }

    @Test
    void theMedianOfSeveralSaturationRunsIsReportedWithEachRun() throws Exception {
        StreamReport r = report(1200, 1500, 8000);
        Saturation s = r.eenet().saturation();
        List<Saturation> runs = List.of(rate(s, 1100), rate(s, 1300), rate(s, 1200));
        Saturation median = StreamBenchmark.median(runs);
        assertThat(median.throughput().eventsPerSecond()).isEqualTo(1200);
        ModelRun e = r.eenet();
        StreamReport report = new StreamReport(r.setup(), r.runtime(), r.costs(), r.warmUps(), new ModelRun(e.name(),
                e.version(), median, e.accuracy(), e.avgCost(), e.exits(), e.heavyPath(), e.latency(), List.of(),
                runs), r.baseline(), r.statics(), r.goals());

        assertThat(print(report)).contains("eenet: the median of 3 saturation runs, each a fresh job: 1,100 events/s"
                + " (JIT compiling 0.10), 1,300 events/s (JIT compiling 0.10), 1,200 events/s (JIT compiling 0.10)")
                .doesNotContain("baseline: the median");
        JsonNode j = new ObjectMapper().readTree(report.toJson());
        assertThat(j.at("/eenet/saturationRuns")).hasSize(3);
        assertThat(j.at("/eenet/saturationRuns/1/eventsPerSecond").asDouble()).isEqualTo(1300);
        assertThat(j.at("/baseline/saturationRuns")).hasSize(1);
    }

    private static Saturation rate(Saturation s, double eventsPerSecond) {
        Throughput t = new Throughput(1000, 800, 0, 1000, eventsPerSecond);
        return new Saturation(s.events(), s.results(), s.deadLetters(), s.duplicates(), s.complete(), t,
                s.drainEventsPerSecond(), s.firstResultSeconds(), s.cpu());
    }

    private static String print(StreamReport r) {
        StringWriter w = new StringWriter();
        r.print(new PrintWriter(w));
        return w.toString();
    }
}
