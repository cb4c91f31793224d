package io.eenet.trainer.export;

import static io.eenet.model.StageTensors.CONFIDENCE;
import static io.eenet.model.StageTensors.FEATURES;
import static io.eenet.model.StageTensors.IMAGE;
import static io.eenet.model.StageTensors.PROBABILITIES;

import io.eenet.files.FileTrees;
import io.eenet.model.ExitRule;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest.ArchitectureInfo;
import io.eenet.model.ModelManifest.DatasetInfo;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.ModelManifest.InputSpec;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import io.eenet.model.ModelManifest;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ResNetGraph.ExitHead;
import io.eenet.trainer.model.ResNetGraph;
import io.eenet.trainer.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained network as a staged model package: one SavedModel per stage plus
 * {@code manifest.json}; see {@code docs/model-package.md}. The package is written beside the target
 * and renamed into place, so a reader never sees half of one.
 */
public final class PackageExporter {

    public static final String SIGNATURE = Signature.DEFAULT_KEY;
    public static final String TAG = SavedModelBundle.DEFAULT_TAG;

    private PackageExporter() {}

    /**
     * Exports {@code model} to {@code target} (which must not exist).
     *
     * @param metrics final metrics to record in the manifest
     */
    public static ModelManifest export(TrainedModel model, Path target, List<String> labels, float[] mean,
            float[] std, Map<String, Object> metrics) throws IOException {
        if (Files.exists(target)) {
            throw new IOException("refusing to overwrite %s: remove it or choose another --out".formatted(target));
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            Architecture arch = model.architecture();
            List<StageSpec> stages = new ArrayList<>();
            for (int stage = 0; stage < arch.numExits(); stage++) {
                stages.add(exportStage(arch, model.parameters(), stage, tmp, mean, std));
            }
            List<ExitSpec> exits = new ArrayList<>();
            String rule = ExitRule.byId(model.config().exitRule()).id();
            for (int e = 0; e < arch.numExits(); e++) {
                boolean early = e < arch.numExits() - 1;
                exits.add(new ExitSpec(e, e, arch.stageLastBlock(e), arch.exitCumulativeMacs(e), arch.exitCost(e),
                        early ? rule : null, early ? model.threshold() : null));
            }
            List<Double> meanList = new ArrayList<>();
            List<Double> stdList = new ArrayList<>();
            for (int c = 0; c < mean.length; c++) {
                meanList.add((double) mean[c]);
                stdList.add((double) std[c]);
            }
            Map<String, Object> training = new java.util.LinkedHashMap<>(model.config().toMap());
            training.put("trainExamples", model.trainExamples());
            training.put("validationExamples", model.validationExamples());
            training.put("seconds", Math.round(model.seconds() * 10) / 10.0);
            training.put("history", model.history());

            ModelManifest manifest = new ModelManifest(
                    ModelManifest.FORMAT_VERSION,
                    model.config().name(),
                    model.config().version(),
                    model.config().baseline() ? ModelManifest.KIND_BASELINE : ModelManifest.KIND_EENET,
                    new DatasetInfo(model.config().dataset(), labels),
                    new InputSpec(IMAGE, List.of(arch.height(), arch.width(), arch.channels()), "float32", "NHWC",
                            1.0 / 255, meanList, stdList),
                    new ArchitectureInfo("resnet", arch.depth(), arch.baseWidth(), arch.stemStride(),
                            arch.exitBlocks(), model.config().baseline() ? "none" : model.config().placement().id(),
                            arch.exitPoolGrid(), arch.baselineMacs()),
                    stages,
                    exits,
                    model.threshold(),
                    training,
                    metrics,
                    ManifestIo.checksums(tmp),
                    model.thresholdSelection().isEmpty() ? null : model.thresholdSelection());
            ManifestIo.write(tmp, manifest);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(tmp);
            throw e;
        }
    }

    private static StageSpec exportStage(Architecture arch, Map<String, float[]> values, int stage, Path dir,
            float[] mean, float[] std) throws IOException {
        boolean last = stage == arch.numExits() - 1;
        String path = "stage-" + stage;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            ResNetGraph net = new ResNetGraph(tf, arch, new ConstantParameters(tf, values), false);
            List<TensorSpec> inputs = new ArrayList<>();
            Operand<TFloat32> input;
            Operand<TFloat32> x;
            Signature.Builder sig = Signature.builder().key(SIGNATURE);
            if (stage == 0) {
                long[] shape = {-1, arch.height(), arch.width(), arch.channels()};
                input = tf.withName(IMAGE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
                inputs.add(new TensorSpec(IMAGE, boxed(shape), "float32"));
                x = net.normalize(input, mean, std);
                sig.input(IMAGE, input);
            } else {
                int prev = arch.stageLastBlock(stage - 1);
                long[] shape = {-1, arch.blockOutHeight(prev), arch.blockOutWidth(prev), arch.blockOutChannels(prev)};
                input = tf.withName(FEATURES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
                inputs.add(new TensorSpec(FEATURES, boxed(shape), "float32"));
                x = input;
                sig.input(FEATURES, input);
            }
            Operand<TFloat32> body = net.stageBody(stage, x);
            List<TensorSpec> outputs = new ArrayList<>();
            if (last) {
                Operand<TFloat32> probs = tf.withName(PROBABILITIES).nn.softmax(net.finalLogits(body));
                sig.output(PROBABILITIES, probs);
                outputs.add(new TensorSpec(PROBABILITIES, List.of(-1L, (long) arch.classes()), "float32"));
            } else {
                ExitHead head = net.earlyExit(stage, body);
                Operand<TFloat32> features = tf.withName(FEATURES).identity(body);
                Operand<TFloat32> confidence = tf.withName(CONFIDENCE).identity(head.confidence());
                Operand<TFloat32> probs = tf.withName(PROBABILITIES).nn.softmax(head.logits());
                sig.output(FEATURES, features).output(CONFIDENCE, confidence).output(PROBABILITIES, probs);
                int b = arch.stageLastBlock(stage);
                outputs.add(new TensorSpec(FEATURES, List.of(-1L, (long) arch.blockOutHeight(b),
                        (long) arch.blockOutWidth(b), (long) arch.blockOutChannels(b)), "float32"));
                outputs.add(new TensorSpec(CONFIDENCE, List.of(-1L), "float32"));
                outputs.add(new TensorSpec(PROBABILITIES, List.of(-1L, (long) arch.classes()), "float32"));
            }
            try (Session session = new Session(graph)) {
                SavedModelBundle.exporter(dir.resolve(path).toString())
                        .withTags(TAG)
                        .withSession(session)
                        .withSignature(sig.build())
                        .export();
            }
            return new StageSpec(stage, path, SIGNATURE, inputs, outputs, arch.stageMacs(stage));
        }
    }

    private static List<Long> boxed(long[] shape) {
        List<Long> list = new ArrayList<>();
        for (long d : shape) {
            list.add(d);
        }
        return list;
    }
}
