package io.eenet.sql.internal;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Outcome;
import java.util.List;

/** The model the next micro-batch runs on; used by one thread (the micro-batcher's). */
public interface ModelSource extends AutoCloseable {

    /**
     * The version to run the next batch on, after reading the store's pointer if the check interval has passed
     * (loading a new version in full before it serves; a version that fails to load leaves the old one serving).
     *
     * @return null when no model is loaded; {@link #unavailableReason()} says why
     */
    Served serve(long nowMillis);

    /** Why {@link #serve} returned null (or the last load failed). */
    String unavailableReason();

    @Override
    void close();

    /** One loaded version. */
    interface Served {
        String version();

        ModelManifest.InputSpec input();

        /** Class names, index = class. */
        List<String> labels();

        float[] defaultThresholds();

        /** Runs every stage, with early exit, on images of {@link #input()}; one outcome each, all exited. */
        List<Outcome> run(List<float[]> images, float[] thresholds);
    }
}
