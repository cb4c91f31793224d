package io.eenet.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a staged model package; see {@code docs/model-package.md}.
 *
 * <p>A package holds one TensorFlow SavedModel per stage. Stage 0 takes images; stage {@code i > 0}
 * takes stage {@code i-1}'s feature map. Every stage but the last returns its own feature map, the
 * confidence of its exit and that exit's class probabilities; the last returns probabilities only.
 * A baseline (non-early-exit) network is a package of one stage.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param name model name, e.g. {@code mnist-eenet20}
 * @param version model version, unique within a name
 * @param kind {@code eenet} or {@code baseline}
 * @param defaultThreshold the first early exit's threshold, in (0,1); format 1 applies it at every early
 *     exit, format 2 gives each exit's own in {@link ExitSpec#threshold()}
 * @param training how the model was trained (free-form, for people)
 * @param metrics final metrics of training (free-form, for people)
 * @param files SHA-256 (hex) of every file of the package but the manifest, by relative path
 * @param thresholdSelection how the thresholds were chosen, and the validation figures they were chosen
 *     on (format 2; free-form, for people)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        int formatVersion,
        String name,
        String version,
        String kind,
        DatasetInfo dataset,
        InputSpec input,
        ArchitectureInfo architecture,
        List<StageSpec> stages,
        List<ExitSpec> exits,
        double defaultThreshold,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, String> files,
        Map<String, Object> thresholdSelection) {

    /** The format written: 2 names each early exit's rule and threshold. */
    public static final int FORMAT_VERSION = 2;

    /** The first format, still read: every early exit uses the confidence rule at {@code defaultThreshold}. */
    public static final int FORMAT_VERSION_1 = 1;

    /** A manifest without a threshold selection record. */
    public ModelManifest(int formatVersion, String name, String version, String kind, DatasetInfo dataset,
            InputSpec input, ArchitectureInfo architecture, List<StageSpec> stages, List<ExitSpec> exits,
            double defaultThreshold, Map<String, Object> training, Map<String, Object> metrics,
            Map<String, String> files) {
        this(formatVersion, name, version, kind, dataset, input, architecture, stages, exits, defaultThreshold,
                training, metrics, files, null);
    }

    /** Whether this manifest's format is one the runtime reads. */
    public boolean hasReadableFormat() {
        return formatVersion == FORMAT_VERSION || formatVersion == FORMAT_VERSION_1;
    }
    public static final String FILE_NAME = "manifest.json";
    public static final String KIND_EENET = "eenet";
    public static final String KIND_BASELINE = "baseline";

    /** @param id dataset id, e.g. {@code mnist}; @param labels class names, index = class id */
    public record DatasetInfo(String id, List<String> labels) {}

    /**
     * What stage 0 takes.
     *
     * @param name input tensor name of stage 0's signature
     * @param shape per-example shape, NHWC without the batch dimension, e.g. [28, 28, 1]
     * @param dtype {@code float32}
     * @param pixelScale factor from uint8 pixel to the input value (1/255: inputs in [0, 1])
     * @param mean per-channel mean subtracted inside stage 0 (after scaling)
     * @param std per-channel standard deviation divided by inside stage 0
     */
    public record InputSpec(String name, List<Integer> shape, String dtype, String layout, double pixelScale,
            List<Double> mean, List<Double> std) {}

    /** The backbone, for people and for cost accounting. */
    public record ArchitectureInfo(String family, int depth, int baseWidth, int stemStride, List<Integer> exitBlocks,
            String placement, int exitPoolGrid, long baselineMacs) {}

    /**
     * One SavedModel.
     *
     * @param path directory of the SavedModel, relative to the package
     * @param signature signature key (tag set {@code serve})
     * @param macs MACs of this stage per example
     */
    public record StageSpec(int index, String path, String signature, List<TensorSpec> inputs,
            List<TensorSpec> outputs, long macs) {}

    /** @param shape with -1 for the batch dimension */
    public record TensorSpec(String name, List<Long> shape, String dtype) {}

    /**
     * One exit. Exit {@code i} is the head of stage {@code i}.
     *
     * @param afterBlock index of the residual block the exit follows; -1 for an exit right after the stem
     * @param cumulativeMacs MACs an example spends to leave here, every head it passed included
     * @param cost cost in units of {@code architecture.baselineMacs}; 1 for the last exit
     * @param rule the {@link ExitRule#id() exit rule} of an early exit (format 2); null at the last exit
     *     and in format 1, where it is {@code confidence}
     * @param threshold the early exit's threshold under its rule (format 2); null at the last exit and in
     *     format 1, where it is {@code defaultThreshold}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExitSpec(int index, int stage, int afterBlock, long cumulativeMacs, double cost, String rule,
            Double threshold) {

        /** An exit without rule and threshold: the last exit, or any exit of a format-1 manifest. */
        public ExitSpec(int index, int stage, int afterBlock, long cumulativeMacs, double cost) {
            this(index, stage, afterBlock, cumulativeMacs, cost, null, null);
        }
    }

    /** The rule of early exit {@code i}: {@code exits[i].rule}, or {@link ExitRule#CONFIDENCE} in format 1. */
    public ExitRule exitRule(int i) {
        return ExitRule.byId(formatVersion == FORMAT_VERSION_1 ? null : exits.get(i).rule());
    }

    /** The threshold of early exit {@code i}: {@code exits[i].threshold}, or {@code defaultThreshold} in format 1. */
    public double exitThreshold(int i) {
        Double t = formatVersion == FORMAT_VERSION_1 ? null : exits.get(i).threshold();
        return t != null ? t : defaultThreshold;
    }

    /** Number of stages (= number of exits). */
    public int numStages() {
        return stages.size();
    }
}
