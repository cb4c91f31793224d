package io.eenet.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an example decides to leave at an early exit: a score of the exit's outputs, compared with the
 * exit's threshold (it leaves when the score is strictly greater). A format-2 manifest names each early
 * exit's rule ({@code exits[i].rule}); format 1 knows only {@link #CONFIDENCE}.
 */
public enum ExitRule {

    /** EENet: the exit's learned confidence branch (a sigmoid). The default. */
    CONFIDENCE("confidence"),

    /** Shallow-Deep-Networks style: the exit classifier's largest softmax probability. */
    MAX_SOFTMAX("max-softmax");

    private final String id;

    ExitRule(String id) {
        this.id = id;
    }

    /** The name in manifests and on command lines. */
    public String id() {
        return id;
    }

    /**
     * The rule named {@code id}; null means {@link #CONFIDENCE} (format-1 manifests name none).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ExitRule byId(String id) {
        if (id == null) {
            return CONFIDENCE;
        }
        for (ExitRule r : values()) {
            if (r.id.equals(id.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException(String.format("unknown exit rule '%s'; expected one of %s", id,
                Arrays.stream(values()).map(ExitRule::id).toList()));
    }

    /**
     * The score of one example at an exit.
     *
     * @param confidence the exit's confidence output for the example
     * @param probabilities the exit's class probabilities, the example's at {@code offset}
     */
    public float score(float confidence, float[] probabilities, int offset, int classes) {
        if (this == CONFIDENCE) {
            return confidence;
        }
        float max = probabilities[offset];
        for (int k = 1; k < classes; k++) {
            max = Math.max(max, probabilities[offset + k]);
        }
        return max;
    }

    @Override
    public String toString() {
        return id;
    }
}
