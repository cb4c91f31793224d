package io.eenet.cli.bench;

import io.eenet.model.runtime.EarlyExitModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The EENet, its baseline and the static networks a benchmark compares, loaded; closing closes them all. */
final class LoadedModels implements AutoCloseable {

    private final List<EarlyExitModel> all = new ArrayList<>();

    private LoadedModels() {}

    static LoadedModels load(Path eenet, Path baseline, List<Path> statics) throws Exception {
        LoadedModels m = new LoadedModels();
        try {
            m.all.add(EarlyExitModel.load(eenet));
            m.all.add(EarlyExitModel.load(baseline));
            for (Path dir : statics) {
                m.all.add(EarlyExitModel.load(dir));
            }
        } catch (Exception | Error e) {
            m.close();
            throw e;
        }
        return m;
    }

    EarlyExitModel eenet() {
        return all.get(0);
    }

    EarlyExitModel baseline() {
        return all.get(1);
    }

    List<EarlyExitModel> statics() {
        return all.subList(2, all.size());
    }

    @Override
    public void close() {
        all.forEach(EarlyExitModel::close);
    }
}
