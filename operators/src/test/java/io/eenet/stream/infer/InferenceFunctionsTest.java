package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.model.ManifestIo;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ImageConverter;
import io.eenet.stream.format.PendingFrame;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The early-exit and heavy functions on a real model, called as their operator calls them (open, then prepare and
 * process per batch, on a clock the test drives): which events exit, which go on with their features, what the heavy
 * function makes of those, dead letters, and the hand-off between model versions. The models are two small EENets
 * (three stages) after one training step on synthetic images, published as versions 1 and 2 of one name: hermetic,
 * no dataset, no network. Every label is checked against the offline runtime on the same package.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InferenceFunctionsTest {

    private static final EventLimits LIMITS = new EventLimits(64 << 10, 256, 4096, 256);
    private static final long RELOAD_CHECK_MS = 60_000;
    private static final int GOOD = 12;

    @TempDir
    static Path tmp;

    static ImageDataset images;
    static Path store;
    static String model;
    static Path[] packages = new Path[3]; // by version

    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<BatchFunction<?, ?, ?>> opened = new ArrayList<>();

    @BeforeAll
    static void publishTwoVersions() throws Exception {
        Random random = new Random(11);
        byte[] pixels = new byte[32 * 28 * 28];
        random.nextBytes(pixels);
        images = ImageDataset.of("synthetic", 28, 28, 1, pixels, random.ints(32, 0, 10).toArray());
        store = tmp.resolve("store");
        for (int v = 1; v <= 2; v++) {
            TrainConfig config = TrainConfig.builder().name("functions-test").version(String.valueOf(v)).depth(14)
                    .baseWidth(8).stemExit(false).placement(ExitPlacement.LINEAR).exitPoolGrid(2).warmupEpochs(0)
                    .learningRate(1e-3f)
                    .lrStepEpochs(0).lrGamma(0.5f).batchSize(32).epochs(1).seed(7 + v).trainLimit(32)
                    .validationSize(0).costBudget(0).build().forTiming(false);
            TrainedModel trained = new Trainer(config, new ProgressLine(new PrintStream(
                    OutputStream.nullOutputStream()), false)).train(images, null, false, new float[] {0.5f},
                    new float[] {0.3f});
            packages[v] = tmp.resolve("package-" + v);
            PackageExporter.export(trained, packages[v], List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    new float[] {0.5f}, new float[] {0.3f}, Map.of());
            ModelRef ref = ModelStores.open(store).publish(packages[v], v == 1); // version 2: published, not current
            assertThat(ref.version()).isEqualTo(String.valueOf(v));
            model = ref.name();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (BatchFunction<?, ?, ?> f : opened) {
            f.close();
        }
        ModelStores.open(store).promote(model, "1");
    }

    @Test
    void atThresholdZeroEveryGoodFrameExitsAtTheFirstExitWithTheRuntimesLabelAndABadOneIsItsDeadLetter()
            throws Exception {
        EarlyExitFunction early = early(0f);
        List<DecodedEvent> batch = frames(0, GOOD);
        batch.add(raw("cam-0", "not-an-event", new byte[] {1, 2, 3}));
        batch.add(raw("cam-1", "wrong-label", EventCodec.encode(event(0, "cam-1", "wrong-label", 42))));

        BatchCollector<FrameResult> out = run(early, batch);

        assertThat(out.mainOutput()).hasSize(GOOD).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(FrameResult.PATH_EARLY);
            assertThat(r.exit()).isZero();
            assertThat(r.modelVersion()).isEqualTo("1");
        });
        assertThat(out.mainOutput()).extracting(FrameResult::eventId).containsExactly(ids(0, GOOD));
        assertThat(out.mainOutput()).extracting(FrameResult::label)
                .containsExactlyElementsOf(offlineLabels(1, 0, GOOD, 0f, 0));
        assertThat(out.sideOutput(StreamTags.PENDING)).isEmpty();
        assertThat(out.sideOutput(StreamTags.DEAD_LETTERS)).extracting(DeadLetter::reason)
                .containsExactly(Reason.NOT_AN_EVENT.code(), Reason.LABEL_OUT_OF_RANGE.code());
    }

    @Test
    void atThresholdOneEveryGoodFrameGoesOnWithItsFeaturesAndTheHeavyFunctionEndsItAtTheLastExit() throws Exception {
        EarlyExitFunction early = early(1f);

        BatchCollector<FrameResult> out = run(early, frames(0, GOOD));

        assertThat(out.mainOutput()).isEmpty();
        List<PendingFrame> pending = out.sideOutput(StreamTags.PENDING);
        assertThat(pending).hasSize(GOOD).allSatisfy(p -> {
            assertThat(p.modelName()).isEqualTo(model);
            assertThat(p.modelVersion()).isEqualTo("1");
            assertThat(p.nextStage()).isEqualTo(1);
            assertThat(p.features()).isNotEmpty();
            assertThat(p.thresholds()).containsExactly(1f, 1f);
        });

        BatchCollector<FrameResult> heavyOut = run(heavy(), pending);

        assertThat(heavyOut.mainOutput()).hasSize(GOOD).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(FrameResult.PATH_HEAVY);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.cost()).isEqualTo(1.0);
            assertThat(r.modelVersion()).isEqualTo("1");
        });
        assertThat(heavyOut.mainOutput()).extracting(FrameResult::eventId).containsExactly(ids(0, GOOD));
        assertThat(heavyOut.mainOutput()).extracting(FrameResult::label)
                .containsExactlyElementsOf(offlineLabels(1, 0, GOOD, 1f, 2));
    }

    @Test
    void aPromotedVersionServesFromTheFirstBatchAfterTheNextCheckAndTheHeavyFunctionFinishesEachFrameOnItsOwnVersion()
            throws Exception {
        EarlyExitFunction early = early(1f);
        List<PendingFrame> fromVersion1 = run(early, frames(0, GOOD)).sideOutput(StreamTags.PENDING);

        ModelStores.open(store).promote(model, "2");
        clock.addAndGet(RELOAD_CHECK_MS - 1);
        assertThat(run(early, frames(GOOD, 4)).sideOutput(StreamTags.PENDING))
                .as("before the next check").extracting(PendingFrame::modelVersion).containsOnly("1");
        clock.addAndGet(1);
        List<PendingFrame> fromVersion2 = run(early, frames(0, GOOD)).sideOutput(StreamTags.PENDING);
        assertThat(fromVersion2).as("after it").extracting(PendingFrame::modelVersion).containsOnly("2");

        List<PendingFrame> mixed = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) { // the two versions' frames interleaved in one heavy batch
            mixed.add(fromVersion1.get(i));
            mixed.add(fromVersion2.get(i));
        }
        BatchCollector<FrameResult> heavyOut = run(heavy(), mixed);

        List<FrameResult> results = heavyOut.mainOutput();
        assertThat(results).hasSize(2 * GOOD);
        List<Integer> expected1 = offlineLabels(1, 0, GOOD, 1f, 2);
        List<Integer> expected2 = offlineLabels(2, 0, GOOD, 1f, 2);
        assertThat(expected1).as("the two versions must differ somewhere for this test to tell them apart")
                .isNotEqualTo(expected2);
        for (int i = 0; i < GOOD; i++) {
            assertThat(results.get(2 * i).modelVersion()).isEqualTo("1");
            assertThat(results.get(2 * i).label()).as("frame %d on version 1", i).isEqualTo(expected1.get(i));
            assertThat(results.get(2 * i + 1).modelVersion()).isEqualTo("2");
            assertThat(results.get(2 * i + 1).label()).as("frame %d on version 2", i).isEqualTo(expected2.get(i));
        }
    }

    @Test
    void aPendingFrameWhoseVersionCannotBeLoadedIsAModelUnavailableDeadLetter() throws Exception {
        List<PendingFrame> pending = run(early(1f), frames(0, 2)).sideOutput(StreamTags.PENDING);
        PendingFrame gone = pending.get(0);
        PendingFrame missing = new PendingFrame(gone.eventId(), gone.streamId(), gone.sequence(), gone.eventTimeMs(),
                gone.groundTruth(), gone.ingestTimeMs(), gone.modelName(), "99", gone.nextStage(), gone.features(),
                gone.thresholds(), gone.forwardedMs(), gone.key(), gone.value(), gone.topic(), gone.partition(),
                gone.offset());

        BatchCollector<FrameResult> out = run(heavy(), List.of(missing, pending.get(1)));

        assertThat(out.mainOutput()).extracting(FrameResult::eventId).containsExactly(pending.get(1).eventId());
        List<DeadLetter> deadLetters = out.sideOutput(StreamTags.DEAD_LETTERS);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(Reason.MODEL_UNAVAILABLE.code());
            assertThat(d.eventId()).isEqualTo(gone.eventId());
            assertThat(d.message()).contains(model + "@99");
            assertThat(d.value()).as("the original Kafka value").isEqualTo(gone.value());
        });
    }

    /**
     * {@code model.split} 0 chooses per model: this one's second exit costs more than 0.15 of its backbone, so the
     * early-exit function runs stage 0 alone; a given split of 2 runs two stages.
     */
    @Test
    void theSplitIsChosenPerModelUnlessGiven() throws Exception {
        assertThat(ManifestIo.read(packages[1]).exits().get(1).cost()).isGreaterThan(ModelSettings.AUTO_SPLIT_COST);
        assertThat(run(early(1f, 0), frames(0, 2)).sideOutput(StreamTags.PENDING))
                .hasSize(2).allSatisfy(p -> assertThat(p.nextStage()).isEqualTo(1));
        assertThat(run(early(1f, 2), frames(0, 2)).sideOutput(StreamTags.PENDING))
                .hasSize(2).allSatisfy(p -> assertThat(p.nextStage()).isEqualTo(2));
    }

    private EarlyExitFunction early(float threshold) throws Exception {
        return early(threshold, 1);
    }

    private EarlyExitFunction early(float threshold, int split) throws Exception {
        EarlyExitFunction f = new EarlyExitFunction(new ModelSettings(store.toString(), model, null,
                new float[] {threshold, threshold}, split, RELOAD_CHECK_MS), LIMITS);
        f.open(BatchFunction.Context.standalone(clock::get));
        opened.add(f);
        return f;
    }

    private HeavyFunction heavy() throws Exception {
        HeavyFunction f = new HeavyFunction(store.toString());
        f.open(BatchFunction.Context.standalone(clock::get));
        opened.add(f);
        return f;
    }

    /** One batch as the operator runs it: prepare, then process, outputs in one collector. */
    private static <I, P, O> BatchCollector<O> run(BatchFunction<I, P, O> f, List<I> batch) throws Exception {
        BatchCollector<O> out = new BatchCollector<>();
        f.process(f.prepare(batch, out), out);
        return out;
    }

    private static List<DecodedEvent> frames(int from, int count) {
        List<DecodedEvent> frames = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String stream = "cam-" + (i % 3);
            frames.add(raw(stream, "e" + i, EventCodec.encode(event(i, stream, "e" + i, images.labels()[i]))));
        }
        return frames;
    }

    private static FrameEvent event(int i, String stream, String id, int label) {
        byte[] pixels = images.imageBytes(i);
        return new FrameEvent(stream, id, i, 1_700_000_000_000L + i, FrameEvent.RAW_UINT8, new int[] {28, 28, 1},
                pixels, label);
    }

    /** A record as the event reader passes it on: decoded, or with the reason it does not decode. */
    private static DecodedEvent raw(String stream, String id, byte[] value) {
        return EventReader.decode(new EventCodec(EventLimits.DEFAULTS),
                new RawEvent(EventCodec.encodeKey(stream), value, "frames", 0, id.hashCode(), 0));
    }

    private static String[] ids(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "e" + i).toArray(String[]::new);
    }

    /** The offline runtime's labels for images {@code from..from+count-1} of a version, which must exit at {@code exit}. */
    private static List<Integer> offlineLabels(int version, int from, int count, float threshold, int exit)
            throws Exception {
        try (EarlyExitModel m = EarlyExitModel.load(packages[version]); EarlyExitRunner runner = m.newRunner()) {
            ImageConverter converter = new ImageConverter(m.manifest().input(), LIMITS);
            List<float[]> inputs = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                inputs.add(converter.toModelInput(event(i, "cam", "e" + i, images.labels()[i])));
            }
            List<Integer> labels = new ArrayList<>();
            for (Outcome o : runner.run(Batch.images(inputs), 0, m.numStages() - 1,
                    new float[] {threshold, threshold})) {
                Outcome.Exited x = (Outcome.Exited) o;
                assertThat(x.exit()).isEqualTo(exit);
                labels.add(x.label());
            }
            return labels;
        }
    }
}
