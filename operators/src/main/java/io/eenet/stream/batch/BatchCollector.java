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

    /** What went to the main output so far, in order. */
    @SuppressWarnings("unchecked")
    public List<OUT> mainOutput() {
        List<OUT> main = new ArrayList<>();
        for (Emitted e : emitted) {
            if (e.tag() == null) {
                main.add((OUT) e.value());
            }
        }
        return main;
    }

    /** What went to side output {@code tag} so far, in order. */
    @SuppressWarnings("unchecked")
    public <X> List<X> sideOutput(OutputTag<X> tag) {
        List<X> side = new ArrayList<>();
        for (Emitted e : emitted) {
            if (tag.equals(e.tag())) {
                side.add((X) e.value());
            }
        }
        return side;
    }

    List<Emitted> emitted() {
        return emitted;
    }
}
