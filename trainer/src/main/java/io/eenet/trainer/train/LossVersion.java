package io.eenet.trainer.train;

import java.util.Locale;

/** The EENet training losses of the paper's reference code. */
public enum LossVersion {
    /**
     * L = sum over exits i of NLL(log y_i): every exit's classifier on its own, confidences untouched.
     * The reference code's first stage of two-stage training; here the loss of the warm-up epochs.
     */
    V0,
    /** L = NLL(log Y_0) + lambda * mean(C_0). */
    V1,
    /** L = sum over exits i of NLL(log Y_i) + lambda * mean(C_i) (the reference code's default). */
    V2,
    /**
     * Exit tags, after the reference code's v4: each example's tag is the exit with the least
     * NLL(y_i) + lambda * c_i; each early confidence learns by class-balanced binary cross-entropy
     * whether the example is tagged there; every classifier learns on every example (v0). Unlike v1/v2
     * the confidence has a target of its own, so it ranks examples instead of saturating.
     */
    V4;

    public static LossVersion byId(String id) {
        try {
            return valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown loss '" + id + "'; expected v0, v1, v2 or v4");
        }
    }
}
