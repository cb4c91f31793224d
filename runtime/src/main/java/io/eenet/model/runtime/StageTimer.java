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
import java.util.Map;
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

    /**
     * Throughput of an EENet's stages when two threads run them at once, as a job's early-exit and heavy operators
     * do in one process: one thread runs stage 0 on full batches, the other the later stages on full batches of
     * features, stage {@code s} as often as {@code reach[s] / reach[1]} of stage 1's calls.
     *
     * @param earlyImagesPerSecond images stage 0 took per second
     * @param heavyImagesPerSecond images stage 1 took per second (the later stages in their share)
     * @param jobEventsPerSecond the events per second a job could take with these rates:
     *     {@code min(early, heavy / reach[1])}
     */
    public record Concurrent(double earlyImagesPerSecond, double heavyImagesPerSecond, double jobEventsPerSecond) {}

    /**
     * Runs stage 0 and the later stages of {@code model} at once in two threads for {@code seconds} (after
     * {@link Settings#warmup()} calls of each) and returns their rates.
     *
     * @param reach per stage, the share of images that reach it (1 for stage 0)
     * @throws IllegalArgumentException if the model has one stage, or {@code reach} does not fit it
     */
    public Concurrent concurrent(EarlyExitModel model, double[] reach, double seconds) throws InterruptedException {
        int stages = model.numStages();
        if (stages < 2 || reach.length != stages || !(reach[1] > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: needs two stages or more and a "
                    + "positive share reaching stage 1, got %d stages and shares %s", model.name(), stages,
                    Arrays.toString(reach)));
        }
        float[] leaveNow = new float[stages - 1];
        Arrays.fill(leaveNow, -1f);
        float[] goOn = new float[stages - 1];
        Arrays.fill(goOn, 1f);
        Batch images = randomImages(model.manifest(), settings.batch(), 7L);
        List<Batch> features = new ArrayList<>();
        features.add(images);
        try (EarlyExitRunner early = model.newRunner(); EarlyExitRunner heavy = model.newRunner()) {
            for (int s = 1; s < stages; s++) {
                features.add(Batch.features(early.run(images, 0, s - 1, goOn).stream()
                        .map(o -> ((Outcome.Unresolved) o).features()).toList()));
            }
            long[] earlyImages = new long[1];
            long[] heavyImages = new long[1];
            // both threads warm up, then time the same window
            long[] deadline = new long[1];
            java.util.concurrent.CyclicBarrier warm = new java.util.concurrent.CyclicBarrier(2,
                    () -> deadline[0] = System.nanoTime() + (long) (seconds * 1e9));
            long[] started = new long[2];
            Throwable[] failure = new Throwable[1];
            Thread a = thread("stage-timer-early", failure, warm, () -> {
                for (int i = 0; i < settings.warmup(); i++) {
                    early.run(images, 0, 0, leaveNow);
                }
                await(warm);
                started[0] = System.nanoTime();
                do {
                    earlyImages[0] += early.run(images, 0, 0, leaveNow).size();
                } while (System.nanoTime() < deadline[0]);
                started[0] = System.nanoTime() - started[0];
            });
            Thread b = thread("stage-timer-heavy", failure, warm, () -> {
                for (int i = 0; i < settings.warmup(); i++) {
                    for (int s = 1; s < stages; s++) {
                        heavy.run(features.get(s), s, s, leaveNow);
                    }
                }
                await(warm);
                started[1] = System.nanoTime();
                double[] credit = new double[stages];
                do {
                    heavyImages[0] += heavy.run(features.get(1), 1, 1, leaveNow).size();
                    for (int s = 2; s < stages; s++) {
                        credit[s] += reach[s] / reach[1];
                        while (credit[s] >= 1) {
                            heavy.run(features.get(s), s, s, leaveNow);
                            credit[s] -= 1;
                        }
                    }
                } while (System.nanoTime() < deadline[0]);
                started[1] = System.nanoTime() - started[1];
            });
            a.start();
            b.start();
            a.join();
            b.join();
            if (failure[0] != null) {
                throw new IllegalStateException("%s: a timing thread failed: %s"
                        .formatted(model.name(), failure[0].getMessage()), failure[0]);
            }
            double earlyRate = earlyImages[0] / (started[0] / 1e9);
            double heavyRate = heavyImages[0] / (started[1] / 1e9);
            progress.accept(String.format(Locale.ROOT, "%s %s, two threads at once: stage 0 %,.0f img/s, later stages"
                    + " %,.0f img/s", model.name(), model.version(), earlyRate, heavyRate));
            return new Concurrent(earlyRate, heavyRate, Math.min(earlyRate, heavyRate / reach[1]));
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing", e);
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("the other timing thread failed", e);
        }
    }

    /** A thread that keeps the first failure of either and breaks the barrier, so that the other does not wait. */
    private static Thread thread(String name, Throwable[] failure, java.util.concurrent.CyclicBarrier barrier,
            Runnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                synchronized (failure) {
                    failure[0] = failure[0] == null ? t : failure[0];
                }
                barrier.reset();
            }
        }, name);
    }

    /**
     * The share of examples that reach each stage of the EENet at its default thresholds, from the validation
     * exits its manifest records (every stage reached when it records none: the worst case).
     */
    public static double[] reach(ModelManifest eenet) {
        return reach(eenet.stages().size(), eenet.metrics());
    }

    static double[] reach(int stages, Map<String, Object> metrics) {
        double[] reach = new double[stages];
        Arrays.fill(reach, 1.0);
        Object counts = metrics == null ? null : metrics.get("validationExitCounts");
        if (counts instanceof List<?> list && list.size() == stages) {
            double total = 0;
            for (Object c : list) {
                total += ((Number) c).doubleValue();
            }
            double left = total;
            for (int s = 0; s < stages && total > 0; s++) {
                reach[s] = left / total;
                left -= ((Number) list.get(s)).doubleValue();
            }
        }
        return reach;
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
