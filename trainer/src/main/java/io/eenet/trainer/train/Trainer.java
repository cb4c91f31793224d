package io.eenet.trainer.train;

import io.eenet.data.ImageDataset;
import io.eenet.model.ExitRule;
import io.eenet.model.ManifestIo;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import io.eenet.trainer.model.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains one network: epochs of shuffled mini-batches, a progress line, a validation report and a
 * checkpoint after every epoch. An equal config finds its checkpoint and resumes from it.
 */
public final class Trainer {

    private static final String CHECKPOINT_STATE = "state.json";
    private static final String CHECKPOINT_PREFIX = "variables";
    private static final int EVAL_BATCH = 500;

    private final TrainConfig config;
    private final ProgressLine progress;
    private final boolean deterministic;
    private final Architecture architecture;
    private final double[] lossCosts;

    public Trainer(TrainConfig config, ProgressLine progress) {
        this(config, progress, false);
    }

    /**
     * @param deterministic single-threaded TensorFlow kernels, so that equal configs give bit-identical
     *     models (about half the speed on two cores); see {@code docs/training.md}
     */
    public Trainer(TrainConfig config, ProgressLine progress, boolean deterministic) {
        this(config, progress, deterministic, null, null);
    }

    private Trainer(TrainConfig config, ProgressLine progress, boolean deterministic, Architecture architecture,
            double[] lossCosts) {
        this.config = config;
        this.progress = progress;
        this.deterministic = deterministic;
        this.architecture = architecture;
        this.lossCosts = lossCosts == null ? null : lossCosts.clone();
    }

    /**
     * This trainer for another network or cost measure than the config's.
     *
     * @param architecture the network to train instead of the config's (its input shape and classes must fit
     *     the data); null: the config's
     * @param lossCosts each exit's cost in the cost-aware loss (e.g. time measured on a machine, the last 1);
     *     null: its MAC costs. Thresholds are still chosen, and validation reported, in MAC costs
     */
    public Trainer using(Architecture architecture, double[] lossCosts) {
        return new Trainer(config, progress, deterministic, architecture, lossCosts);
    }

    /**
     * Trains on {@code data} (less the held-out validation tail) and returns the trained parameters.
     *
     * @param checkpointDir where epochs are checkpointed; null for none
     * @param resume continue from a checkpoint of the same config in {@code checkpointDir}
     */
    public TrainedModel train(ImageDataset data, Path checkpointDir, boolean resume, float[] mean, float[] std)
            throws IOException {
        ImageDataset all = config.trainLimit() > 0 && config.trainLimit() < data.size()
                ? data.subset(0, config.trainLimit()) : data;
        int validation = Math.min(config.validationSize(), all.size() / 5);
        ImageDataset train = all.subset(0, all.size() - validation);
        ImageDataset val = validation > 0 ? all.subset(all.size() - validation, all.size()) : null;
        Architecture arch = architecture != null ? architecture
                : config.architecture(data.height(), data.width(), data.channels(), numClasses(data));
        if (lossCosts != null && lossCosts.length != arch.numExits()) {
            throw new IllegalArgumentException(String.format("%s has %d exits, got %d loss costs", config.name(),
                    arch.numExits(), lossCosts.length));
        }

        try (TrainingGraph g = new TrainingGraph(config, arch, lossCosts != null ? lossCosts : exitCosts(arch), mean,
                std, deterministic)) {
            int startEpoch = 0;
            long step = 0;
            double previousSeconds = 0;
            List<Map<String, Object>> history = new ArrayList<>();
            if (resume && checkpointDir != null) {
                Map<String, Object> state = readState(checkpointDir);
                if (state != null) {
                    g.session.restore(checkpointDir.resolve((String) state.get("variables")).toString());
                    startEpoch = ((Number) state.get("epochsDone")).intValue();
                    step = ((Number) state.get("step")).longValue();
                    previousSeconds = ((Number) state.get("seconds")).doubleValue();
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> h = (List<Map<String, Object>>) state.get("history");
                    history.addAll(h);
                    progress.line(String.format("%s: resuming after epoch %d/%d from %s",
                            config.name(), startEpoch, config.epochs(), checkpointDir));
                }
            }
            progress.line(String.format("%s: %s, %d train / %d validation images, exits after blocks %s, costs %s",
                    config.name(), describe(arch), train.size(), validation, arch.exitBlocks(), costs(arch)
                            + (lossCosts == null ? "" : " in MACs, " + format(lossCosts) + " in time (the loss's)")));

            int batch = config.batchSize();
            int stepsPerEpoch = (train.size() + batch - 1) / batch;
            int pixels = data.height() * data.width() * data.channels();
            float[] imageBuf = new float[batch * pixels];
            int[] labelBuf = new int[batch];
            long started = System.nanoTime();
            long stepsThisRun = 0;
            ExitOutputs lastValidation = null;
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                int[] order = permutation(train.size(), config.seed() * 1_000_003L + epoch);
                float lr = config.learningRateAt(epoch);
                double lossSum = 0;
                int seen = 0;
                int correct = 0;
                double costSum = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int from = s * batch;
                    int n = Math.min(batch, train.size() - from);
                    for (int i = 0; i < n; i++) {
                        int idx = order[from + i];
                        train.copyImageAsFloats(idx, imageBuf, i * pixels);
                        labelBuf[i] = train.label(idx);
                    }
                    step++;
                    boolean warmup = epoch < config.warmupEpochs() && g.warmupStep != null;
                    StepResult r = runStep(g, arch, imageBuf, labelBuf, n, pixels, lr, step, warmup);
                    lossSum += r.loss * n;
                    seen += n;
                    correct += r.correct;
                    costSum += r.cost;
                    stepsThisRun++;
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    double rate = stepsThisRun * (double) batch / elapsed;
                    long stepsLeft = (long) (config.epochs() - epoch) * stepsPerEpoch - s - 1;
                    progress.update(String.format("%s epoch %d/%d %3d%% loss %.4f acc %.2f%% cost %.3f | %.0f img/s | ETA %s",
                            config.name(), epoch + 1, config.epochs(), 100 * (s + 1) / stepsPerEpoch, lossSum / seen,
                            100.0 * correct / seen, costSum / seen, rate, ProgressLine.duration(stepsLeft * batch / rate)));
                }
                double seconds = previousSeconds + (System.nanoTime() - started) / 1e9;
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("epoch", epoch + 1);
                record.put("trainLoss", lossSum / seen);
                record.put("trainAccuracy", correct / (double) seen);
                record.put("trainAvgCost", costSum / seen);
                record.put("seconds", seconds);
                String valText = "";
                if (val != null) {
                    lastValidation = evaluate(g, arch, val, pixels);
                    // at the threshold the target would choose now, so that epochs compare at one target
                    OperatingPoint p = config.selectsThreshold() && arch.numExits() > 1
                            ? ThresholdSelection.choose(lastValidation, ExitRule.byId(config.exitRule()),
                                    exitCosts(arch), val.labels(), target()).validation()
                            : lastValidation.evaluate(config.threshold(), ExitRule.byId(config.exitRule()),
                                    exitCosts(arch), val.labels());
                    record.put("validationThreshold", p.threshold());
                    record.put("validationAccuracy", p.accuracy());
                    record.put("validationAvgCost", p.avgCost());
                    record.put("validationExitCounts", p.exitCounts());
                    valText = String.format(" | validation acc %.2f%% cost %.3f exits %s%s", 100 * p.accuracy(),
                            p.avgCost(), java.util.Arrays.toString(p.exitCounts()),
                            arch.numExits() > 1 ? String.format(" at threshold %.4g", p.threshold()) : "");
                }
                history.add(record);
                progress.line(String.format("%s epoch %d/%d%s loss %.4f acc %.2f%% cost %.3f%s (%s)", config.name(),
                        epoch + 1, config.epochs(), epoch < config.warmupEpochs() ? " (warm-up, loss v0)" : "",
                        lossSum / seen, 100.0 * correct / seen, costSum / seen, valText,
                        ProgressLine.duration(seconds)));
                if (checkpointDir != null) {
                    writeCheckpoint(g.session, checkpointDir, epoch + 1, step, seconds, history);
                }
            }
            double seconds = previousSeconds + (System.nanoTime() - started) / 1e9;
            Map<String, Object> selection = new LinkedHashMap<>();
            double threshold = config.threshold();
            ExitRule rule = ExitRule.byId(config.exitRule());
            if (config.selectsThreshold() && arch.numExits() > 1) {
                if (lastValidation == null && val != null) {
                    lastValidation = evaluate(g, arch, val, pixels);
                }
                if (lastValidation == null) {
                    throw new IllegalArgumentException(
                            "choosing the threshold needs validation images (--validation N with N > 0)");
                }
                ThresholdSelection.Choice choice = ThresholdSelection.choose(lastValidation, rule, exitCosts(arch),
                        val.labels(), target());
                threshold = choice.threshold();
                selection.putAll(choice.toMap(val.size()));
                progress.line(String.format("%s: default threshold %s under the %s rule by %s%s (validation accuracy "
                                + "%.2f%%, cost %.3f, exits %s; last exit alone %.2f%%)", config.name(), threshold, rule,
                        choice.target().method(), choice.met() ? "" : ", target NOT met",
                        100 * choice.validation().accuracy(), choice.validation().avgCost(),
                        java.util.Arrays.toString(choice.validation().exitCounts()), 100 * choice.lastExitAccuracy()));
            }
            return new TrainedModel(config, arch, g.parameterValues(), history, seconds, train.size(), validation,
                    threshold, selection);
        }
    }

    private ThresholdSelection.Target target() {
        return new ThresholdSelection.Target(config.costBudget(), config.targetAccuracyLoss());
    }

    private StepResult runStep(TrainingGraph g, Architecture arch, float[] images, int[] labels, int n, int pixels,
            float lr, long step, boolean warmup) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, arch.height(), arch.width(), arch.channels()),
                        DataBuffers.of(images, true, false).narrow(n * (long) pixels));
                TInt32 y = TInt32.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false).narrow(n));
                TFloat32 rate = TFloat32.scalarOf(lr);
                TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(TrainingGraph.ADAM_BETA1, step));
                TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(TrainingGraph.ADAM_BETA2, step))) {
            Session.Runner runner = g.session.runner()
                    .feed(g.images, x).feed(g.labels, y).feed(g.learningRate, rate)
                    .feed(g.beta1Power, b1).feed(g.beta2Power, b2)
                    .addTarget(warmup ? g.warmupStep : g.trainStep).fetch(warmup ? g.warmupLoss : g.loss);
            g.trainPredictions.forEach(runner::fetch);
            g.trainConfidences.forEach(runner::fetch);
            try (Result result = runner.run()) {
                float loss = ((TFloat32) result.get(0)).getFloat();
                int exits = arch.numExits();
                double[] costs = exitCosts(arch);
                int correct = 0;
                double cost = 0;
                for (int i = 0; i < n; i++) {
                    int exit = exits - 1;
                    for (int e = 0; e < exits - 1; e++) {
                        if (((TFloat32) result.get(1 + exits + e)).getFloat(i) > config.threshold()) {
                            exit = e;
                            break;
                        }
                    }
                    if (((TInt64) result.get(1 + exit)).getLong(i) == labels[i]) {
                        correct++;
                    }
                    cost += costs[exit];
                }
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("training diverged: loss is %s at step %s; try a lower --lr"
                            .formatted(loss, step));
                }
                return new StepResult(loss, correct, cost);
            }
        }
    }

    /** Runs the inference pass of the training graph over a dataset. */
    private ExitOutputs evaluate(TrainingGraph g, Architecture arch, ImageDataset data, int pixels) {
        ExitOutputs out = new ExitOutputs(arch.numExits(), data.size());
        float[] buf = new float[EVAL_BATCH * pixels];
        int classes = arch.classes();
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, data.size() - from);
            for (int i = 0; i < n; i++) {
                data.copyImageAsFloats(from + i, buf, i * pixels);
            }
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, arch.height(), arch.width(), arch.channels()),
                    DataBuffers.of(buf, true, false).narrow(n * (long) pixels))) {
                Session.Runner runner = g.session.runner().feed(g.images, x);
                g.evalProbabilities.forEach(runner::fetch);
                g.evalConfidences.forEach(runner::fetch);
                try (Result r = runner.run()) {
                    float[] probs = new float[n * classes];
                    for (int e = 0; e < arch.numExits(); e++) {
                        ((TFloat32) r.get(e)).copyTo(DataBuffers.of(probs, false, false));
                        for (int i = 0; i < n; i++) {
                            float conf = e < arch.numExits() - 1
                                    ? ((TFloat32) r.get(arch.numExits() + e)).getFloat(i) : Float.NaN;
                            out.set(e, from + i, conf, probs, i * classes, classes);
                        }
                    }
                }
            }
        }
        return out;
    }

    static double[] exitCosts(Architecture arch) {
        double[] costs = new double[arch.numExits()];
        for (int e = 0; e < costs.length; e++) {
            costs[e] = arch.exitCost(e);
        }
        return costs;
    }

    private static String costs(Architecture arch) {
        return format(exitCosts(arch));
    }

    private static String format(double[] costs) {
        StringBuilder sb = new StringBuilder("[");
        for (double c : costs) {
            sb.append(sb.length() > 1 ? ", " : "").append(String.format("%.3f", c));
        }
        return sb.append(']').toString();
    }

    private static String describe(Architecture arch) {
        return String.format("ResNet-%d (width %d, stem stride %d, %.2fM MACs)", arch.depth(), arch.baseWidth(),
                arch.stemStride(), arch.baselineMacs() / 1e6);
    }

    private static int numClasses(ImageDataset data) {
        return Math.max(data.numClasses(), 2);
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private Map<String, Object> readState(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINT_STATE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> state = ManifestIo.mapper().readValue(file.toFile(), Map.class);
        // Every setting that shapes the weights must match; the number of epochs may grow (a finished
        // run can be extended) and the threshold settings are applied after training.
        // Through JSON text both ways, so that numbers compare as the same types.
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = ManifestIo.mapper().readValue(
                ManifestIo.mapper().writeValueAsString(config.toMap()), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = new java.util.HashMap<>((Map<String, Object>) state.get("config"));
        for (String key : List.of("epochs", "threshold", "calibrationDrop", "targetAccuracyLoss", "costBudget",
                "exitRule")) {
            expected.remove(key);
            saved.remove(key);
        }
        if (!expected.equals(saved)) {
            progress.line("checkpoint in " + dir + " was made with other settings; starting afresh");
            return null;
        }
        if (((Number) state.get("epochsDone")).intValue() > config.epochs()) {
            progress.line("checkpoint in " + dir + " is past epoch " + config.epochs() + "; starting afresh");
            return null;
        }
        return state;
    }

    private void writeCheckpoint(Session session, Path dir, int epochsDone, long step, double seconds,
            List<Map<String, Object>> history) throws IOException {
        Files.createDirectories(dir);
        // Variables under a fresh prefix first, then the state file that points at them (an atomic
        // rename), then the old variables go: a crash at any point leaves a consistent checkpoint.
        String prefix = CHECKPOINT_PREFIX + "-" + epochsDone;
        session.save(dir.resolve(prefix).toString());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("config", config.toMap());
        state.put("epochsDone", epochsDone);
        state.put("step", step);
        state.put("seconds", seconds);
        state.put("variables", prefix);
        state.put("history", history);
        Path tmp = dir.resolve(CHECKPOINT_STATE + ".tmp");
        ManifestIo.mapper().writeValue(tmp.toFile(), state);
        Files.move(tmp, dir.resolve(CHECKPOINT_STATE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(CHECKPOINT_PREFIX + "-") && !name.startsWith(prefix + ".")) {
                    Files.delete(f);
                }
            }
        }
    }

    private record StepResult(float loss, int correct, double cost) {}
}
