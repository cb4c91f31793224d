package io.eenet.cli.bench;

import io.eenet.bench.report.BenchReport;
import io.eenet.bench.stream.JobBenchmark;
import io.eenet.cli.train.PresetModels;
import io.eenet.data.ImageDataset;
import io.eenet.home.EenetHome;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.store.ModelStores;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmarks of the job on one model run on (overload, poison, soak): the preset EENet's name in the
 * default store (trained and published first if missing), its dataset's test images and a work directory.
 *
 * @param model the model's name in the default store
 * @param test the test split of its dataset
 * @param work {@code $EENET_HOME/<work>}, created
 */
record JobBenchInput(String model, ImageDataset test, Path work) {

    static JobBenchInput prepare(String work, PrintWriter err) throws Exception {
        Path eenetDir = PresetModels.ensureInStore("mnist", false, System.err);
        Path dir = EenetHome.resolve().home().resolve(work);
        Files.createDirectories(dir);
        try (EarlyExitModel eenet = EarlyExitModel.load(eenetDir)) {
            return new JobBenchInput(eenet.manifest().name(), RuntimeCommand.testImages(eenet.manifest(), err), dir);
        }
    }

    /** Runs the benchmark on this input, with the model from the default store. */
    <R extends BenchReport> R run(JobBenchmark<?, R> benchmark) throws Exception {
        return benchmark.run(model, ModelStores.defaultLocation(), test, work);
    }
}
