package io.eenet.model.cost;

import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.ExitSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What each exit of a model package costs in time on one machine, next to what it costs in MACs.
 *
 * <p>The paper counts cost in MACs; serving pays in time, and the two are not proportional: a layer's time
 * per MAC differs by its shape, by the engine's setting and by the machine. {@code ./eenet profile} measures
 * these on the machine it runs on and keeps them under {@code $EENET_HOME/profiles} ({@link #file}).
 *
 * @param model the package's name
 * @param version its version
 * @param machine where, and with which engine settings, it was measured
 * @param measuredAt when (ISO-8601 instant)
 * @param batch images per call
 * @param rounds timed calls per stage (the median is kept)
 * @param stageMillisPerImage each stage's median time per image, with every example leaving at its exit
 * @param exitMillisPerImage per exit: the time per image of the stages up to and including its own
 * @param costs per exit: its time over the last exit's (the full path), so the last is 1
 * @param macCosts per exit: the manifest's cost in MACs (cumulative MACs over the baseline's)
 */
public record TimeCosts(String model, String version, Machine machine, String measuredAt, int batch, int rounds,
        List<Double> stageMillisPerImage, List<Double> exitMillisPerImage, List<Double> costs,
        List<Double> macCosts) {

    /** Costs of two exits closer than this count as equal (timing noise at the same stage). */
    static final double TOLERANCE = 1e-9;

    public TimeCosts {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(measuredAt, "measuredAt");
        stageMillisPerImage = List.copyOf(stageMillisPerImage);
        exitMillisPerImage = List.copyOf(exitMillisPerImage);
        costs = List.copyOf(costs);
        macCosts = List.copyOf(macCosts);
        if (stageMillisPerImage.isEmpty() || exitMillisPerImage.size() != costs.size()
                || costs.size() != macCosts.size() || costs.isEmpty()) {
            throw new IllegalArgumentException(String.format("time costs of %s %s: %d stage times, %d exit times, "
                    + "%d costs, %d MAC costs; expected one per stage and one of each per exit", model, version,
                    stageMillisPerImage.size(), exitMillisPerImage.size(), costs.size(), macCosts.size()));
        }
        for (double ms : stageMillisPerImage) {
            if (!(ms > 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("time costs of %s: a stage time must be positive and finite, got %s"
                        .formatted(model, stageMillisPerImage));
            }
        }
        if (Math.abs(costs.get(costs.size() - 1) - 1) > TOLERANCE) {
            throw new IllegalArgumentException("time costs of %s: the last exit's cost must be 1, got %s"
                    .formatted(model, costs));
        }
    }

    /**
     * The time costs of a package's exits from its stages' measured times.
     *
     * @param stageMillisPerImage each stage's time per image, indexed by stage
     */
    public static TimeCosts of(ModelManifest manifest, Machine machine, String measuredAt, int batch, int rounds,
            double[] stageMillisPerImage) {
        if (stageMillisPerImage.length != manifest.stages().size()) {
            throw new IllegalArgumentException(String.format("%s has %d stages, got %d stage times",
                    manifest.name(), manifest.stages().size(), stageMillisPerImage.length));
        }
        List<Double> stages = new ArrayList<>();
        for (double ms : stageMillisPerImage) {
            stages.add(ms);
        }
        List<Double> exitMs = new ArrayList<>();
        List<Double> macs = new ArrayList<>();
        for (ExitSpec exit : manifest.exits()) {
            double sum = 0;
            for (int s = 0; s <= exit.stage(); s++) {
                sum += stageMillisPerImage[s];
            }
            exitMs.add(sum);
            macs.add(exit.cost());
        }
        double full = exitMs.get(exitMs.size() - 1);
        List<Double> costs = exitMs.stream().map(ms -> ms / full).toList();
        return new TimeCosts(manifest.name(), manifest.version(), machine, measuredAt, batch, rounds, stages, exitMs,
                costs, macs);
    }

    /** The time per image of the full path (every stage), in milliseconds. */
    public double fullPathMillis() {
        return exitMillisPerImage.get(exitMillisPerImage.size() - 1);
    }

    /**
     * The average time per image when {@code exitCounts[i]} examples leave at exit {@code i}, with every stage
     * running full batches (the ideal that re-batching survivors approaches).
     */
    public double averageMillis(int[] exitCounts) {
        return weighted(exitCounts, exitMillisPerImage);
    }

    /** The average time cost (1 = the full path) when {@code exitCounts[i]} examples leave at exit {@code i}. */
    public double averageCost(int[] exitCounts) {
        return weighted(exitCounts, costs);
    }

    /** Each cost's ratio of time cost to MAC cost: above 1, the exit costs more time than its MACs say. */
    public List<Double> timePerMacRatio() {
        double fullMac = macCosts.get(macCosts.size() - 1);
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            r.add(costs.get(i) / (macCosts.get(i) / fullMac));
        }
        return r;
    }

    private double weighted(int[] exitCounts, List<Double> values) {
        if (exitCounts.length != values.size()) {
            throw new IllegalArgumentException(String.format("%s has %d exits, got %d exit counts", model,
                    values.size(), exitCounts.length));
        }
        double sum = 0;
        long n = 0;
        for (int i = 0; i < exitCounts.length; i++) {
            sum += exitCounts[i] * values.get(i);
            n += exitCounts[i];
        }
        if (n == 0) {
            throw new IllegalArgumentException("exit counts are all zero");
        }
        return sum / n;
    }

    /** Where the time costs of a package measured on {@code machine} are kept under {@code home}. */
    public static Path file(Path home, String model, String version, Machine machine) {
        return home.resolve("profiles").resolve(model).resolve(version).resolve(machine.id() + ".json");
    }

    /** Writes these costs as JSON to {@code file} (replacing it). */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ManifestIo.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads costs written by {@link #write}. */
    public static TimeCosts read(Path file) throws IOException {
        return ManifestIo.mapper().readValue(file.toFile(), TimeCosts.class);
    }

    /** The costs of {@code model} {@code version} measured on this very machine and setting, if any were kept. */
    public static Optional<TimeCosts> find(Path home, String model, String version, Machine machine)
            throws IOException {
        Path f = file(home, model, version, machine);
        return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
    }
}
