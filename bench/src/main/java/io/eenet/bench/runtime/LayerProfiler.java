package io.eenet.bench.runtime;

import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.trainer.model.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

/**
 * Where each stage's time goes, layer by layer: TensorFlow's own step statistics ({@code FULL_TRACE}) of the
 * stage's SavedModel, the time of every operation summed per layer of the {@link Architecture} (the stem, each
 * residual block, each exit head: the first segment of the operation's name, which {@code ResNetGraph} sets), set
 * against that layer's MACs. The same layer shapes in two models show the same speed; a stage's time share then
 * follows from which layers it holds.
 *
 * <p>Runs TF Java directly on the package (DJL's predictor cannot ask for step statistics); the session is
 * configured as DJL's, with TensorFlow's default thread pools. Inputs are uniform random values: these networks
 * have no data-dependent control flow, so their time does not depend on the values.
 */
public final class LayerProfiler {

    /** Operations whose name starts with none of the layers' prefixes: arguments, results, constants. */
    public static final String OTHER = "other";

    /**
     * @param batch images per call
     * @param warmupCalls untraced calls first
     * @param tracedCalls traced calls whose step statistics are averaged; as many untraced calls (at least 10)
     *     are timed before them for the stage's call time
     */
    public record Settings(int batch, int warmupCalls, int tracedCalls) {
        public Settings {
            if (batch < 1 || warmupCalls < 0 || tracedCalls < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "batch and traced calls must be >= 1,"
                        + " warm-up calls >= 0; got batch %d, traced %d, warm-up %d", batch, tracedCalls, warmupCalls));
            }
        }
    }

    /**
     * One layer of a stage.
     *
     * @param name {@code normalize}, {@code stem}, {@code block<i>}, {@code exit<i>}, {@code final} or {@link #OTHER}
     * @param microsPerBatch mean over the traced calls of the summed time of the layer's operations
     * @param share {@code microsPerBatch} over the stage's summed operation time
     * @param macsPerImage the layer's MACs by the architecture's accounting (0 for layers it does not count)
     * @param gmacsPerSecond {@code macsPerImage * batch / microsPerBatch / 1000}; 0 where no MACs are counted
     * @param operations distinct operations of the layer that ran
     */
    public record Layer(String name, double microsPerBatch, double share, long macsPerImage, double gmacsPerSecond,
            int operations) {}

    /**
     * One stage of one package.
     *
     * @param model the package's name and version
     * @param stage the stage index
     * @param macsPerImage the stage's MACs (the manifest's)
     * @param callMicros median wall time of an untraced call
     * @param operationMicros mean over the traced calls of the summed time of every operation
     * @param gmacsPerSecond {@code macsPerImage * batch / callMicros / 1000}
     * @param layers in the network's order: normalize, stem, blocks, the exit head or final classifier, other
     */
    public record StageProfile(String model, int stage, long macsPerImage, double callMicros, double operationMicros,
            double gmacsPerSecond, List<Layer> layers) {}

    private final Settings settings;
    private final Consumer<String> progress;

    public LayerProfiler(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Profiles every stage of the package in {@code dir}. */
    public List<StageProfile> profile(Path dir) throws IOException {
        ModelManifest manifest = ManifestIo.read(dir);
        ManifestIo.verifyChecksums(dir, manifest);
        Architecture arch = Architecture.of(manifest);
        List<StageProfile> stages = new ArrayList<>();
        for (StageSpec stage : manifest.stages()) {
            try (SavedModelBundle bundle = SavedModelBundle.loader(dir.resolve(stage.path()).toString())
                    .withTags(SavedModelBundle.DEFAULT_TAG).load()) {
                stages.add(profileStage(manifest, arch, stage, bundle));
            }
            progress.accept(String.format(Locale.ROOT, "profile: %s stage %d done", manifest.name(), stage.index()));
        }
        return stages;
    }

    private StageProfile profileStage(ModelManifest manifest, Architecture arch, StageSpec stage,
            SavedModelBundle bundle) {
        SignatureDef signature = bundle.metaGraphDef().getSignatureDefMap().get(stage.signature());
        if (signature == null) {
            throw new IllegalArgumentException("stage %s of %s has no signature '%s'"
                    .formatted(stage.index(), manifest.name(), stage.signature()));
        }
        String input = signature.getInputsMap().values().iterator().next().getName();
        List<String> outputs = signature.getOutputsMap().values().stream().map(t -> t.getName()).toList();
        List<Long> declared = stage.inputs().get(0).shape();
        long[] dims = new long[declared.size()];
        dims[0] = settings.batch();
        long values = settings.batch();
        for (int i = 1; i < dims.length; i++) {
            dims[i] = declared.get(i);
            values *= dims[i];
        }
        if (values > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(("a batch of %s inputs of %s is too large to profile; take a smaller "
                    + "--batch").formatted(settings.batch(), declared.subList(1, declared.size())));
        }
        float[] data = new float[(int) values];
        Random random = new Random(stage.index());
        for (int i = 0; i < values; i++) {
            data[i] = random.nextFloat();
        }
        Session session = bundle.session();
        try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(data, true, false))) {
            for (int i = 0; i < settings.warmupCalls(); i++) {
                call(session, input, tensor, outputs, null);
            }
            int timed = Math.max(10, settings.tracedCalls());
            double[] micros = new double[timed];
            for (int i = 0; i < timed; i++) {
                long t0 = System.nanoTime();
                call(session, input, tensor, outputs, null);
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
            RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
            Map<String, Double> microsByLayer = new HashMap<>();
            Map<String, Set<String>> operations = new HashMap<>();
            for (int i = 0; i < settings.tracedCalls(); i++) {
                RunMetadata metadata = call(session, input, tensor, outputs, trace);
                for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
                    for (NodeExecStats node : device.getNodeStatsList()) {
                        String layer = layerOf(node.getNodeName(), stage.index(), arch);
                        microsByLayer.merge(layer, (double) node.getOpEndRelMicros(), Double::sum);
                        operations.computeIfAbsent(layer, k -> new HashSet<>()).add(node.getNodeName());
                    }
                }
            }
            double total = microsByLayer.values().stream().mapToDouble(Double::doubleValue).sum()
                    / settings.tracedCalls();
            List<Layer> layers = new ArrayList<>();
            for (var e : microsByLayer.entrySet()) {
                double us = e.getValue() / settings.tracedCalls();
                long macs = macsOf(e.getKey(), arch);
                layers.add(new Layer(e.getKey(), us, us / total, macs, gmacs(macs, settings.batch(), us),
                        operations.get(e.getKey()).size()));
            }
            layers.sort(Comparator.comparingInt(l -> rank(l.name())));
            double call = RuntimeBenchmark.median(micros);
            return new StageProfile(manifest.name() + " " + manifest.version(), stage.index(), stage.macs(), call,
                    total, gmacs(stage.macs(), settings.batch(), call), layers);
        }
    }

    private static RunMetadata call(Session session, String input, TFloat32 tensor, List<String> outputs,
            RunOptions options) {
        Session.Runner runner = session.runner().feed(input, tensor);
        outputs.forEach(runner::fetch);
        if (options == null) {
            runner.run().close();
            return null;
        }
        runner.setOptions(options);
        try (Result result = runner.runAndFetchMetadata()) {
            return result.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no trace"));
        }
    }

    /**
     * The layer an operation belongs to: the first segment of its name where that names a layer of stage
     * {@code stage}; the stage's softmax output ({@code probabilities}) belongs to its head.
     */
    static String layerOf(String node, int stage, Architecture arch) {
        int slash = node.indexOf('/');
        String first = slash < 0 ? node : node.substring(0, slash);
        if (first.equals("normalize") || first.equals("stem") || first.equals("final")
                || first.matches("(block|exit)\\d+")) {
            return first;
        }
        if (first.equals("probabilities")) {
            return stage < arch.exitBlocks().size() ? "exit" + stage : "final";
        }
        return OTHER;
    }

    /** Sort key of a layer: the network's order, {@link #OTHER} last. */
    static int rank(String layer) {
        if (layer.equals("normalize")) {
            return 0;
        }
        if (layer.equals("stem")) {
            return 1;
        }
        if (layer.startsWith("block")) {
            return 2 + Integer.parseInt(layer.substring(5));
        }
        if (layer.startsWith("exit") || layer.equals("final")) {
            return 10_000;
        }
        return 20_000;
    }

    /** A layer's MACs per image by the architecture's accounting. */
    static long macsOf(String layer, Architecture arch) {
        if (layer.equals("stem")) {
            return arch.stemMacs();
        }
        if (layer.equals("final")) {
            return arch.finalHeadMacs();
        }
        if (layer.startsWith("block")) {
            return arch.blockMacs(Integer.parseInt(layer.substring(5)));
        }
        if (layer.startsWith("exit")) {
            return arch.earlyHeadMacs(Integer.parseInt(layer.substring(4)));
        }
        return 0;
    }

    private static double gmacs(long macsPerImage, int batch, double micros) {
        return macsPerImage == 0 || micros <= 0 ? 0 : macsPerImage * (double) batch / micros / 1e3;
    }
}
