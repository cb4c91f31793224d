package io.eenet.cli.train;

import io.eenet.files.FileTrees;
import io.eenet.data.ImageDataset;
import io.eenet.data.Split;
import io.eenet.cli.Words;
import io.eenet.home.EenetHome;
import io.eenet.model.ExitRule;
import io.eenet.model.ModelManifest;
import io.eenet.model.cost.TimeCosts;
import io.eenet.model.runtime.StageTimer;
import io.eenet.trainer.cost.TimeCostModel;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.LossVersion;
import io.eenet.trainer.train.Presets;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet train ...}: trains an EENet (or its baseline) and exports a staged model package. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an EENet (or, with --baseline, the same ResNet without early exits) and export it as "
                + "a staged model package.",
                "With --preset the project's default settings apply; any option given overrides them."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME", description = "default settings: mnist, fashion-mnist")
    String preset;

    @Option(names = "--baseline", description = "train the backbone with its final exit only (the reference)")
    boolean baseline;

    @Option(names = "--out", paramLabel = "DIR",
            description = "package directory (default: ${EENET_HOME:-~/.eenet}/models/<name>)")
    Path out;

    @Option(names = "--force", description = "replace --out if it exists")
    boolean force;

    @Mixin
    DatasetOptions data = new DatasetOptions();

    @Option(names = "--name", description = "model name (default: <dataset>-eenet or <dataset>-baseline)")
    String name;

    @Option(names = "--model-version", paramLabel = "V", description = "model version written to the manifest (default: 1)")
    String version;

    @Option(names = "--depth", description = "ResNet depth 6n+2: 8, 14, 20, 32, 56, 110 (default: 20)")
    Integer depth;

    @Option(names = "--width", description = "channels of the first stage; stages have w, 2w, 4w (default: 16)")
    Integer width;

    @Option(names = "--stem-stride", description = "stride of the stem convolution, 1 or 2 (default: 2)")
    Integer stemStride;

    @Option(names = "--exits",
            description = "number of early exits placed after blocks (default: 2; --stem-exit adds one)")
    Integer exits;

    @Option(names = "--stem-exit", negatable = true,
            description = "one more early exit, right after the stem and before the first block: the cheapest place "
                    + "for an exit, where the easiest images already leave (default: on for mnist, off for "
                    + "fashion-mnist)")
    Boolean stemExit;

    @Option(names = "--placement", converter = Placements.class,
            description = "exit placement: fine, pareto, linear, golden-ratio (default: fine)")
    ExitPlacement placement;

    @Option(names = "--exit-pool", paramLabel = "GRID",
            description = "early-exit heads average-pool to GRID x GRID cells before their linear layers; 1: global (default: 4)")
    Integer exitPool;

    @Option(names = "--loss", converter = Losses.class, description = "v0, v1, v2, v4 or v5 (default: v5; see docs/training.md)")
    LossVersion loss;

    @Option(names = "--lambda", description = "weight of the computational cost in the loss (default: 0.1)")
    Float lambda;

    @Option(names = "--warmup-epochs", paramLabel = "N",
            description = "first N epochs train every exit's classifier alone (loss v0) before the cost-aware loss (default: 1)")
    Integer warmupEpochs;

    @Option(names = "--optimizer", converter = Optimizers.class, description = "adam or sgd (default: adam)")
    TrainConfig.OptimizerKind optimizer;

    @Option(names = "--lr", description = "learning rate (default: 0.002)")
    Float lr;

    @Option(names = "--weight-decay", description = "L2 weight decay on kernels (default: 1e-4)")
    Float weightDecay;

    @Option(names = "--momentum", description = "SGD momentum (default: 0.9)")
    Float momentum;

    @Option(names = "--lr-step", paramLabel = "EPOCHS", description = "multiply the learning rate by --lr-gamma every EPOCHS epochs; 0: never (default: 2)")
    Integer lrStep;

    @Option(names = "--lr-gamma", description = "learning-rate step factor (default: 0.3)")
    Float lrGamma;

    @Option(names = "--batch-size", description = "mini-batch size (default: 64)")
    Integer batchSize;

    @Option(names = "--epochs", description = "epochs (default: 6)")
    Integer epochs;

    @Option(names = "--seed", description = "random seed; equal seeds and settings give identical models (default: 42)")
    Long seed;

    @Option(names = "--train-limit", paramLabel = "N", description = "train on the first N training images only (default: all)")
    Integer trainLimit;

    @Option(names = "--validation", paramLabel = "N", description = "images held out from the end of the training split to report progress (default: 5000)")
    Integer validation;

    @Option(names = "--threshold",
            description = "default threshold of every early exit, written to the manifest as given (default: chosen "
                    + "on the validation images by --cost-budget / --target-accuracy-loss)")
    Double threshold;

    @Option(names = "--cost-budget", paramLabel = "C",
            description = "choose the threshold on the validation images: the highest whose average cost is at most C "
                    + "(a share of the backbone's MACs); reads no labels, so a retrain cannot move it far "
                    + "(default: 0.09 for mnist, 0.14 for fashion-mnist; off when --threshold is given)")
    Double costBudget;

    @Option(names = "--target-accuracy-loss", paramLabel = "PT",
            description = "choose the threshold on the validation images: the cheapest whose accuracy is at most PT "
                    + "points below the last exit's; with --cost-budget, the cheapest within the budget that meets it "
                    + "(default: off)")
    Double targetAccuracyLoss;

    @Option(names = "--exit-rule", paramLabel = "RULE", converter = ExitRules.class,
            description = "what an early exit decides by: confidence (the learned confidence branch) or max-softmax "
                    + "(the exit's top probability) (default: confidence)")
    ExitRule exitRule;

    @Option(names = "--cost", paramLabel = "MODEL", defaultValue = "macs", converter = CostModels.class,
            description = "what an exit costs in the cost-aware loss and in exit placement: macs (as the paper) or "
                    + "time, measured on this machine before training (./eenet profile; docs/performance.md). "
                    + "Thresholds are chosen in MACs either way (default: ${DEFAULT-VALUE})")
    CostModel cost;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "checkpoint after every epoch here (default: ${EENET_HOME:-~/.eenet}/checkpoints/<name>)")
    Path checkpointDir;

    @Option(names = "--deterministic",
            description = "single-threaded kernels: equal settings give bit-identical models (about 2x slower)")
    boolean deterministic;

    @Option(names = "--resume", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "continue from a checkpoint made with the same settings (default: true)")
    boolean resume;

    /** Where progress goes: stdout, or stderr when a caller keeps stdout for JSON. */
    java.io.PrintStream log = System.out;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = config();
        boolean byTime = cost == CostModel.TIME;
        DatasetOptions.DataSource source = data.source(config::dataset, log::println);
        ImageDataset train = source.load(Split.TRAIN);
        Path target = out != null ? out : defaultModelDir(config.name());
        if (Files.exists(target.resolve(ModelManifest.FILE_NAME)) && !force) {
            log.println(config.name() + ": already trained in " + target + " (--force retrains it)");
            return 0;
        }
        if (Files.exists(target) && !force) {
            throw new IllegalArgumentException("%s exists but holds no model package; pass --force to replace it"
                    .formatted(target));
        }
        float[][] norm = normalisation(train);
        Path checkpoints = checkpointDir != null ? checkpointDir
                : EenetHome.resolve().home().resolve("checkpoints").resolve(config.name() + (byTime ? "-time" : ""));
        ProgressLine progress = new ProgressLine(log);
        Trainer trainer = new Trainer(config, progress, deterministic);
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (byTime && !config.baseline()) {
            TimeCostModel time = new TimeCostModel(config, train, source.labels(train), norm[0], norm[1],
                    EenetHome.resolve().home().resolve("tmp"), StageTimer.Settings.standard(),
                    line -> progress.line(config.name() + ": " + line));
            Architecture backbone = config.architecture(train.height(), train.width(), train.channels(),
                    Math.max(train.numClasses(), 2)).withExitBlocks(List.of());
            Architecture arch = config.withStemExit(backbone.withExitBlocks(time.placeExits(backbone,
                    config.placement(), config.earlyExits())));
            TimeCosts costs = time.exitCosts(arch);
            trainer = trainer.using(arch, costs.costs().stream().mapToDouble(Double::doubleValue).toArray());
            metrics.put("costModel", "time");
            metrics.put("lossTimeCosts", costs.costs());
            metrics.put("lossTimeMachine", costs.machine().describe());
        }
        TrainedModel model = trainer.train(train, checkpoints, resume, norm[0], norm[1]);

        Map<String, Object> last = model.history().get(model.history().size() - 1);
        for (String key : List.of("validationAccuracy", "validationAvgCost", "validationExitCounts", "trainLoss")) {
            if (last.containsKey(key)) {
                metrics.put(key, last.get(key));
            }
        }
        if (force && Files.exists(target)) {
            FileTrees.delete(target);
        }
        ModelManifest manifest = PackageExporter.export(model, target, source.labels(train), norm[0], norm[1], metrics);
        progress.line(String.format("%s: trained in %s, exported %d stage(s) to %s", config.name(),
                ProgressLine.duration(model.seconds()), manifest.numStages(), target));
        return 0;
    }

    /** What an exit costs in the loss and in exit placement ({@code --cost}). */
    enum CostModel {
        MACS, TIME;

        static CostModel byId(String id) {
            try {
                return valueOf(id.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cost must be macs or time, got '%s'".formatted(id));
            }
        }
    }

    static final class Placements extends Words<ExitPlacement> {
        Placements() {
            super(ExitPlacement::byId);
        }
    }

    static final class Losses extends Words<LossVersion> {
        Losses() {
            super(LossVersion::byId);
        }
    }

    static final class Optimizers extends Words<TrainConfig.OptimizerKind> {
        Optimizers() {
            super(TrainCommand::optimizerKind);
        }
    }

    static final class ExitRules extends Words<ExitRule> {
        ExitRules() {
            super(ExitRule::byId);
        }
    }

    static final class CostModels extends Words<CostModel> {
        CostModels() {
            super(CostModel::byId);
        }
    }

    static Path defaultModelDir(String name) {
        return EenetHome.resolve().home().resolve("models").resolve(name);
    }

    /** The package directory of a preset model, trained first (with progress) when it is missing. */
    static Path ensurePreset(String preset, boolean baseline, java.io.PrintStream log) throws Exception {
        String arguments = "--preset " + preset + (baseline ? " --baseline" : "");
        return ensureTrained(Presets.get(preset, baseline).name(), arguments, log, train -> {
            train.preset = preset;
            train.baseline = baseline;
        });
    }

    /**
     * The package directory of a static network of a preset's family (its baseline at another depth, named
     * {@code <dataset>-resnet<depth>}), trained first (with progress) when it is missing.
     */
    static Path ensureStatic(String preset, int depth, java.io.PrintStream log) throws Exception {
        String name = staticName(preset, depth);
        String arguments = "--preset " + preset + " --baseline --depth " + depth + " --name " + name;
        return ensureTrained(name, arguments, log, train -> {
            train.preset = preset;
            train.baseline = true;
            train.depth = depth;
            train.name = name;
        });
    }

    /**
     * The package directory of the model {@code name}, trained first (resuming, with progress) when it is missing,
     * by a train command that {@code options} sets up as {@code ./eenet train <arguments>} would.
     */
    private static Path ensureTrained(String name, String arguments, java.io.PrintStream log,
            Consumer<TrainCommand> options) throws Exception {
        Path dir = defaultModelDir(name);
        if (!Files.exists(dir.resolve(ModelManifest.FILE_NAME))) {
            log.println(name + ": not trained yet; training it now (./eenet train " + arguments + ")");
            TrainCommand train = new TrainCommand();
            options.accept(train);
            train.resume = true;
            train.log = log;
            train.call();
        }
        return dir;
    }

    /** The name of a preset's static network of {@code depth}: {@code mnist-resnet8}. */
    static String staticName(String preset, int depth) {
        return Presets.get(preset, true).dataset() + "-resnet" + depth;
    }

    TrainConfig config() {
        TrainConfig base;
        if (preset != null) {
            base = Presets.get(preset, baseline);
        } else {
            if (data.dataset == null && data.dataDir == null) {
                throw new IllegalArgumentException("give --preset, or --dataset / --data-dir (see ./eenet train --help)");
            }
            String ds = data.dataset != null ? data.dataset : data.dataDir.getFileName().toString();
            base = Presets.get(Presets.NAMES.contains(ds) ? ds : "mnist", baseline);
            base = base.toBuilder().name(ds + (baseline ? "-baseline" : "-eenet")).version("1").dataset(ds)
                    .baseline(baseline).build();
        }
        return TrainConfig.builder()
                .name(name != null ? name : base.name())
                .version(version != null ? version : base.version())
                .dataset(data.dataset != null ? data.dataset : base.dataset())
                .depth(depth != null ? depth : base.depth())
                .baseWidth(width != null ? width : base.baseWidth())
                .stemStride(stemStride != null ? stemStride : base.stemStride())
                .baseline(baseline)
                .earlyExits(baseline ? 0 : exits != null ? exits : base.earlyExits())
                .stemExit(!baseline && (stemExit != null ? stemExit : base.stemExit()))
                .placement(placement != null ? placement : base.placement())
                .exitPoolGrid(exitPool != null ? exitPool : base.exitPoolGrid())
                .loss(loss != null ? loss : base.loss())
                .lambda(lambda != null ? lambda : base.lambda())
                .warmupEpochs(baseline ? 0 : warmupEpochs != null ? warmupEpochs : base.warmupEpochs())
                .optimizer(optimizer != null ? optimizer : base.optimizer())
                .learningRate(lr != null ? lr : base.learningRate())
                .weightDecay(weightDecay != null ? weightDecay : base.weightDecay())
                .momentum(momentum != null ? momentum : base.momentum())
                .lrStepEpochs(lrStep != null ? lrStep : base.lrStepEpochs())
                .lrGamma(lrGamma != null ? lrGamma : base.lrGamma())
                .batchSize(batchSize != null ? batchSize : base.batchSize())
                .epochs(epochs != null ? epochs : base.epochs())
                .seed(seed != null ? seed : base.seed())
                .trainLimit(trainLimit != null ? trainLimit : base.trainLimit())
                .validationSize(validation != null ? validation : base.validationSize())
                .threshold(threshold != null ? threshold : base.threshold())
                .targetAccuracyLoss(targetAccuracyLoss != null ? targetAccuracyLoss / 100
                        : threshold != null ? 0 : base.targetAccuracyLoss())
                .costBudget(costBudget != null ? costBudget : threshold != null ? 0 : base.costBudget())
                .exitRule(exitRule != null ? exitRule.id() : base.exitRule())
                .build();
    }

    private static TrainConfig.OptimizerKind optimizerKind(String id) {
        try {
            return TrainConfig.OptimizerKind.valueOf(id.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown optimizer '%s'; expected adam or sgd".formatted(id));
        }
    }

    /** Per-channel mean and standard deviation of the training pixels, scaled to [0,1]. */
    static float[][] normalisation(ImageDataset data) {
        int c = data.channels();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        long perChannel = 0;
        for (int i = 0; i < data.size(); i++) {
            byte[] img = data.imageBytes(i);
            for (int p = 0; p < img.length; p++) {
                double v = (img[p] & 0xff) / 255.0;
                sum[p % c] += v;
                sumSq[p % c] += v * v;
            }
            perChannel += img.length / c;
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int k = 0; k < c; k++) {
            double m = sum[k] / perChannel;
            mean[k] = (float) m;
            std[k] = (float) Math.sqrt(Math.max(sumSq[k] / perChannel - m * m, 1e-12));
        }
        return new float[][] {mean, std};
    }
}
