package io.eenet.model.runtime;

import io.eenet.model.ModelManifest;
import io.eenet.model.cost.Machine;
import io.eenet.model.cost.TimeCosts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Times every stage of a package through this runtime, on the machine it runs on, and turns the times into
 * {@link TimeCosts}. The inputs are random pixels: a convolution's time does not depend on the values, so
 * an untrained package of an architecture times the same as a trained one.
 *
 * <p>Each stage is timed on the features stage {@code i - 1} made, with every example leaving at its own exit
 * (no feature map handed on): what the stage costs when survivors are re-batched to full batches. Stages are
 * timed in interleaved rounds, one call each per round, so that a drift of the machine's speed hits every
 * stage alike; each stage keeps its median.
 */
public final class StageTimer {

    /**
     * What to time.
     *
     * @param batch images per call
     * @param warmup untimed calls per stage first (the engine tunes its kernels on the first calls)
     * @param rounds timed calls per stage
     */
    public record Settings(int batch, int warmup, int rounds) {
        public Settings {
            if (batch < 1 || warmup < 0 || rounds < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "batch must be >= 1, warm-up >= 0 and rounds >= 1; got %d, %d, %d", batch, warmup, rounds));
            }
        }

        /**
         * Batch 64 (the runtime benchmark's), 100 warm-up calls, 200 rounds: with 10 and 30, oneDNN's kernels had
         * not settled and stage times came out up to 1.5x too high (2026-12-06).
         */
        public static Settings standard() {
            return new Settings(64, 100, 200);
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public StageTimer(Settings settings, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Times every stage of {@code model} and returns its exits' time costs on {@code machine}. */
    public TimeCosts measure(EarlyExitModel model, Machine machine) {
        ModelManifest manifest = model.manifest();
        int stages = model.numStages();
        float[] leaveNow = new float[stages - 1];
        Arrays.fill(leaveNow, -1f); // every score is >= 0: every example leaves at the stage's exit
        float[] goOn = new float[stages - 1];
        Arrays.fill(goOn, 1f); // a confidence never exceeds 1, so every example goes on
        try (EarlyExitRunner runner = model.newRunner()) {
            List<Batch> inputs = new ArrayList<>();
            Batch images = randomImages(manifest, settings.batch(), 42L);
            for (int s = 0; s < stages; s++) {
                inputs.add(s == 0 ? images : Batch.features(runner.run(images, 0, s - 1, goOn).stream()
                        .map(o -> ((Outcome.Unresolved) o).features()).toList()));
            }
            for (int s = 0; s < stages; s++) {
                for (int i = 0; i < settings.warmup(); i++) {
                    runner.run(inputs.get(s), s, s, leaveNow);
                }
            }
            double[][] millis = new double[stages][settings.rounds()];
            for (int r = 0; r < settings.rounds(); r++) {
                for (int k = 0; k < stages; k++) {
                    int s = (k + r) % stages;
                    long t0 = System.nanoTime();
                    runner.run(inputs.get(s), s, s, leaveNow);
                    millis[s][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] perImage = new double[stages];
            for (int s = 0; s < stages; s++) {
                perImage[s] = median(millis[s]) / settings.batch();
                progress.accept(String.format(Locale.ROOT, "%s %s stage %d: %.4f ms per image at batch %d",
                        model.name(), model.version(), s, perImage[s], settings.batch()));
            }
            return TimeCosts.of(manifest, machine, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    settings.batch(), settings.rounds(), perImage);
        }
    }

    /** {@code count} images of uniform random pixels in [0, 1] of the package's input shape. */
    static Batch randomImages(ModelManifest manifest, int count, long seed) {
        int size = 1;
        for (int d : manifest.input().shape()) {
            size *= d;
        }
        float[] values = new float[count * size];
        Random random = new Random(seed);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Batch.images(values, count);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
