package io.eenet.bench.stream;

import io.eenet.bench.report.BenchReport;
import io.eenet.data.ImageDataset;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A benchmark of the streaming job on one model of a store, fed with a dataset's images through a local broker
 * (overload, poison, soak): its settings, where its progress lines go, and one run.
 *
 * @param <S> the benchmark's settings
 * @param <R> its report
 */
public abstract class JobBenchmark<S, R extends BenchReport> {

    protected final S settings;
    protected final Consumer<String> progress;

    protected JobBenchmark(S settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param model the store name of the model the job serves
     * @param store the model store
     * @param images labelled images the events carry, as PNG (cycling)
     * @param work a directory for the broker's data
     */
    public abstract R run(String model, Path store, ImageDataset images, Path work) throws Exception;
}
