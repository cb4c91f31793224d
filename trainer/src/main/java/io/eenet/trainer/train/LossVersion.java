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
    V4,
    /**
     * Stop-or-go targets (this project's; the presets' loss): early confidence i learns, by plain
     * binary cross-entropy, whether stopping at exit i is at least as good as the best way on, in the
     * cost-aware 0-1 loss: {@code err_i + lambda c_i <= min over j > i of (err_j + lambda c_j)},
     * {@code err} being 1 where the exit's top class is wrong. With {@code lambda (1 - c_i) < 1} that
     * is "exit i is right, or no later exit is". Every classifier learns on every example (v0).
     */
    V5;

    public static LossVersion byId(String id) {
        try {
            return valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown loss '%s'; expected v0, v1, v2, v4 or v5".formatted(id));
        }
    }
}
