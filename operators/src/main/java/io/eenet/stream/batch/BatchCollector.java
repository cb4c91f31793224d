package io.eenet.stream.batch;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.OutputTag;

/**
 * Collects what a {@link BatchFunction} makes of one batch, main output and side outputs, in order.
 * Not thread-safe; each batch gets its own.
 */
public final class BatchCollector<OUT> {

    /** One collected element: {@code tag} null for the main output. */
    record Emitted(OutputTag<?> tag, Object value) {}

    private final List<Emitted> emitted = new ArrayList<>();

    /** Emits to the main output. */
    public void collect(OUT value) {
        emitted.add(new Emitted(null, value));
    }

    /** Emits to a side output. */
    public <X> void collect(OutputTag<X> tag, X value) {
        emitted.add(new Emitted(tag, value));
    }

    /** Number of elements collected so far. */
    public int size() {
        return emitted.size();
    }

    List<Emitted> emitted() {
        return emitted;
    }
}
