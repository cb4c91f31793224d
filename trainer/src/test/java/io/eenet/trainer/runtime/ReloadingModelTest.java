package io.eenet.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.data.ImageDataset;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.runtime.Outcome.Unresolved;
import io.eenet.model.runtime.ReloadingModel;
import io.eenet.model.runtime.ReloadingRunner;
import io.eenet.model.store.FileSystemModelStore;
import io.eenet.model.store.ModelStore;
import io.eenet.trainer.TestData;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.LossVersion;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReloadingModel} on two real (tiny, briefly trained) versions of one model in a store: batches
 * finish on the version they started with, switches happen between batches, and every outcome equals the
 * outcome of a freshly loaded model of the version it names.
 */
class ReloadingModelTest {

    static final String NAME = "reload-test";
    static final List<String> LABELS = EarlyExitRuntimeTest.LABELS;
    static final int PIXELS = EarlyExitRuntimeTest.PIXELS;
    static final int BATCH = 50;
    /** Spread examples over the exits (the tiny models' confidences sit around 0.5). */
    static final float[] THRESHOLDS = {0.5f, 0.5f};

    @TempDir
    static Path tmp;

    static ModelStore store;
    static ImageDataset images;
    /** Outcomes of a fresh {@link EarlyExitModel} of each version, batch by batch. */
    static final Map<String, List<List<Outcome>>> reference = new HashMap<>();

    /** Versions 1 and 2 (different seeds) of a ResNet-14 of width 8 with two early exits, 8 Adam steps each. */
    @BeforeAll
    static void trainPublishAndRunReferences() throws Exception {
        store = new FileSystemModelStore(tmp.resolve("store"));
        images = TestData.mnistTest().subset(0, 200);
        for (String version : List.of("1", "2")) {
            Path pkg = train(version, 4L + Long.parseLong(version));
            store.publish(pkg, false);
            try (EarlyExitModel fresh = EarlyExitModel.load(store.resolve(NAME, version));
                    EarlyExitRunner runner = fresh.newRunner()) {
                List<List<Outcome>> batches = new ArrayList<>();
                for (int b = 0; b < batches(); b++) {
                    batches.add(runner.run(batch(b), 0, 2, THRESHOLDS));
                }
                reference.put(version, batches);
            }
        }
        assertThat(reference.get("1")).isNotEqualTo(reference.get("2"));
        assertThat(store.current(NAME)).contains("1");
    }

    static Path train(String version, long seed) throws Exception {
        TrainConfig config = new TrainConfig(NAME, version, "mnist", 14, 8, 2, false, 2, ExitPlacement.LINEAR, 2,
                LossVersion.V2, 1f, 0, TrainConfig.OptimizerKind.ADAM, 1e-3f, 1e-4f, 0.9f, 0, 0.5f, 64, 1, seed, 512,
                0, 0.6, 0);
        ProgressLine quiet = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
        TrainedModel trained = new Trainer(config, quiet).train(TestData.mnistTrain(), null, false,
                EarlyExitRuntimeTest.MEAN, EarlyExitRuntimeTest.STD);
        Path pkg = tmp.resolve("pkg-" + version);
        PackageExporter.export(trained, pkg, LABELS, EarlyExitRuntimeTest.MEAN, EarlyExitRuntimeTest.STD, Map.of());
        return pkg;
    }

    @BeforeEach
    void startOnVersionOne() throws IOException {
        store.promote(NAME, "1");
    }

    @Test
    void aBatchStartedOnOneVersionFinishesOnItAndTheNextRunsOnTheNew() throws Exception {
        try (ReloadingModel reloading = ReloadingModel.follow(store, NAME)) {
            assertThat(reloading.version()).isEqualTo("1");
            EarlyExitModel one;
            try (ReloadingModel.Lease lease = reloading.acquire()) {
                one = lease.model();
                EarlyExitRunner runner = lease.newRunner();
                // the batch in two calls: stage 0, then (after the switch) stages 1..2 on what did not exit
                List<Outcome> first = runner.run(batch(0), 0, 0, THRESHOLDS);
                assertThat(first).filteredOn(o -> o instanceof Unresolved).isNotEmpty();
                store.promote(NAME, "2");
                assertThat(reloading.refresh()).isTrue();
                assertThat(reloading.version()).isEqualTo("2");
                assertThat(lease.isCurrent()).isFalse();
                List<Outcome> finished = resume(runner, first);
                assertThat(finished).allSatisfy(o -> assertThat(o.modelVersion()).isEqualTo("1"));
                assertThat(finished).isEqualTo(reference.get("1").get(0));
                assertThat(one.isClosed()).isFalse();
            }
            assertThat(one.isClosed()).as("version 1 once its last lease is released").isTrue();

            try (ReloadingModel.Lease lease = reloading.acquire()) {
                assertThat(lease.version()).isEqualTo("2");
                List<Outcome> next = lease.newRunner().run(batch(1), 0, 2, THRESHOLDS);
                assertThat(next).allSatisfy(o -> assertThat(o.modelVersion()).isEqualTo("2"));
                assertThat(next).isEqualTo(reference.get("2").get(1));
            }
        }
    }

    @Test
    void aReloadingRunnerSwitchesBetweenCallsAndClosesWhatItLeaves() throws Exception {
        ReloadingModel reloading = ReloadingModel.follow(store, NAME);
        try (ReloadingRunner runner = reloading.newRunner()) {
            EarlyExitModel one = runner.model();
            assertThat(runner.run(batch(0), 0, 2, THRESHOLDS)).isEqualTo(reference.get("1").get(0));
            assertThat(reloading.refresh()).isFalse();

            store.promote(NAME, "2");
            assertThat(reloading.refresh()).isTrue();
            assertThat(runner.version()).as("until its next call").isEqualTo("1");
            assertThat(one.isClosed()).isFalse();
            assertThat(runner.run(batch(1), 0, 2, THRESHOLDS)).isEqualTo(reference.get("2").get(1));
            assertThat(runner.version()).isEqualTo("2");
            assertThat(one.isClosed()).isTrue();

            EarlyExitModel two = runner.model();
            store.promote(NAME, "1");
            assertThat(reloading.refresh()).isTrue();
            assertThat(runner.run(batch(2))).hasSize(BATCH).allSatisfy(o -> assertThat(o.modelVersion()).isEqualTo("1"));
            assertThat(two.isClosed()).isTrue();

            reloading.close();
            assertThat(runner.model().isClosed()).as("held by the runner").isFalse();
            EarlyExitModel last = runner.model();
            runner.close();
            assertThat(last.isClosed()).isTrue();
        }
        assertThatThrownBy(reloading::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessage("the reloading model of reload-test is closed");
    }

    /**
     * Two threads run batch after batch (one with a {@link ReloadingRunner}, one with a lease per batch over
     * two calls) while the test thread flips the pointer between the versions and refreshes: every batch
     * is on one version and equals that version's reference.
     */
    @Test
    void batchesFromManyThreadsEachRunOnOneVersionWhileVersionsSwitch() throws Exception {
        ReloadingModel reloading = ReloadingModel.follow(store, NAME);
        Set<EarlyExitModel> used = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> batchesOn = Map.of("1", new AtomicInteger(), "2", new AtomicInteger());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> withRunner = pool.submit(() -> {
                try (ReloadingRunner runner = reloading.newRunner()) {
                    for (int i = 0; !stop.get(); i++) {
                        int b = i % batches();
                        List<Outcome> out = runner.run(batch(b), 0, 2, THRESHOLDS);
                        used.add(runner.model());
                        check(out, b, batchesOn);
                    }
                }
                return null;
            });
            Future<?> withLeases = pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    int b = i % batches();
                    try (ReloadingModel.Lease lease = reloading.acquire()) {
                        used.add(lease.model());
                        EarlyExitRunner runner = lease.newRunner();
                        check(resume(runner, runner.run(batch(b), 0, 0, THRESHOLDS)), b, batchesOn);
                    }
                }
                return null;
            });
            int switches = 0;
            for (int i = 0; i < 6; i++) {
                int before = batchesOn.get("1").get() + batchesOn.get("2").get();
                while (batchesOn.get("1").get() + batchesOn.get("2").get() < before + 4) {
                    if (withRunner.isDone() || withLeases.isDone()) {
                        withRunner.get(); // a failed batch fails the test here
                        withLeases.get();
                    }
                    Thread.sleep(5);
                }
                store.promote(NAME, i % 2 == 0 ? "2" : "1");
                if (reloading.refresh()) {
                    switches++;
                }
            }
            stop.set(true);
            withRunner.get();
            withLeases.get();
            assertThat(switches).isEqualTo(6);
            assertThat(batchesOn.get("1").get()).isPositive();
            assertThat(batchesOn.get("2").get()).isPositive();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(4); // a model per switch that the threads caught
        try (ReloadingModel.Lease lease = reloading.acquire()) {
            EarlyExitModel served = lease.model();
            assertThat(used).filteredOn(m -> m != served).allSatisfy(m -> assertThat(m.isClosed()).isTrue());
            reloading.close();
            assertThat(served.isClosed()).isFalse();
        }
        assertThat(used).allSatisfy(m -> assertThat(m.isClosed()).isTrue());
    }

    @Test
    void aBrokenVersionLeavesTheOldOneServingAndSaysWhy() throws Exception {
        Path stage1 = Path.of("stage-1", "saved_model.pb");
        publishCopyOf("2", "3");
        Files.delete(store.resolve(NAME, "3").resolve(stage1));
        publishCopyOf("2", "4");
        // a package whose manifest does not name the version the store holds it under
        ModelManifest m = ManifestIo.read(store.resolve(NAME, "4"));
        ManifestIo.write(store.resolve(NAME, "4"), withVersion(m, "5"));

        try (ReloadingModel reloading = ReloadingModel.follow(store, NAME);
                ReloadingRunner runner = reloading.newRunner()) {
            store.promote(NAME, "3");
            assertThat(reloading.refresh()).isFalse();
            assertThat(reloading.version()).isEqualTo("1");
            assertThat(reloading.lastError()).get().extracting(Throwable::getMessage).asString()
                    .startsWith("cannot load reload-test:3 from FileSystemModelStore[")
                    .contains("still serving 1: model package ")
                    .endsWith("does not match its manifest's checksums: stage-1/saved_model.pb is missing");
            assertThat(runner.run(batch(0), 0, 2, THRESHOLDS)).isEqualTo(reference.get("1").get(0));

            store.promote(NAME, "4");
            assertThat(reloading.refresh()).isFalse();
            assertThat(reloading.lastError()).get().extracting(Throwable::getMessage).asString()
                    .contains("still serving 1: the store's reload-test:4 at ")
                    .endsWith("holds a package of reload-test:5");
            assertThat(runner.run(batch(1), 0, 2, THRESHOLDS)).isEqualTo(reference.get("1").get(1));

            store.promote(NAME, "2");
            assertThat(reloading.refresh()).isTrue();
            assertThat(reloading.lastError()).isEmpty();
            assertThat(runner.run(batch(2), 0, 2, THRESHOLDS)).isEqualTo(reference.get("2").get(2));
        } finally {
            store.promote(NAME, "1");
            store.remove(NAME, "3", false);
            store.remove(NAME, "4", false);
        }
    }

    @Test
    void followingANameWithoutAVersionFails() {
        assertThatThrownBy(() -> ReloadingModel.follow(store, "no-such-model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no-such-model has no current version in FileSystemModelStore[");
    }

    /** Every outcome of batch {@code b} is on one version and equals that version's reference. */
    private static void check(List<Outcome> out, int b, Map<String, AtomicInteger> batchesOn) {
        String version = out.get(0).modelVersion();
        assertThat(out).allSatisfy(o -> assertThat(o.modelVersion()).isEqualTo(version));
        assertThat(out).as("batch %d on version %s", b, version).isEqualTo(reference.get(version).get(b));
        batchesOn.get(version).incrementAndGet();
    }

    /** Runs stages 1..2 on the unresolved outcomes of {@code first}, keeping the rest. */
    private static List<Outcome> resume(EarlyExitRunner runner, List<Outcome> first) {
        List<byte[]> features = new ArrayList<>();
        for (Outcome o : first) {
            if (o instanceof Unresolved u) {
                features.add(u.features());
            }
        }
        List<Outcome> rest = runner.run(Batch.features(features), 1, 2, THRESHOLDS);
        List<Outcome> merged = new ArrayList<>();
        int k = 0;
        for (Outcome o : first) {
            merged.add(o instanceof Unresolved ? rest.get(k++) : o);
        }
        return merged;
    }

    /** Publishes the package of a stored version again under another version (not promoted). */
    private static void publishCopyOf(String version, String as) throws IOException {
        Path copy = tmp.resolve("pkg-" + as);
        Path from = store.resolve(NAME, version);
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        ManifestIo.write(copy, withVersion(ManifestIo.read(copy), as));
        store.publish(copy, false);
    }

    private static ModelManifest withVersion(ModelManifest m, String version) {
        return new ModelManifest(m.formatVersion(), m.name(), version, m.kind(), m.dataset(), m.input(),
                m.architecture(), m.stages(), m.exits(), m.defaultThreshold(), m.training(), m.metrics(), m.files());
    }

    private static int batches() {
        return images.size() / BATCH;
    }

    private static Batch batch(int b) {
        ImageDataset part = images.subset(b * BATCH, (b + 1) * BATCH);
        float[] values = new float[part.size() * PIXELS];
        for (int i = 0; i < part.size(); i++) {
            part.copyImageAsFloats(i, values, i * PIXELS);
        }
        return Batch.images(values, part.size());
    }
}
