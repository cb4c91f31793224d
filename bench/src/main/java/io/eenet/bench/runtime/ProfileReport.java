package io.eenet.bench.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import io.eenet.bench.runtime.LayerProfiler.Layer;
import io.eenet.bench.runtime.LayerProfiler.StageProfile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code ./eenet bench profile} run measured: every stage of an EENet and of its baseline, layer by
 * layer, and each EENet stage's share of the baseline's MACs against its share of the baseline's time.
 *
 * @param cpus processors the JVM sees
 * @param onednnOpts the value of {@code TF_ENABLE_ONEDNN_OPTS} ({@code unset}: TensorFlow's default, on)
 * @param settings batch size and calls
 * @param eenet the EENet's stages
 * @param baseline the baseline's stage
 * @param shares per EENet stage: its MACs and its untraced call time over the baseline's, at the same batch
 * @param sameLayers layers both models have (the same shapes): their speed in each
 */
public record ProfileReport(int cpus, String onednnOpts, LayerProfiler.Settings settings, List<StageProfile> eenet,
        List<StageProfile> baseline, List<Share> shares, List<SameLayer> sameLayers) implements BenchReport {

    /** An EENet stage against the whole baseline. */
    public record Share(int stage, double macShare, double timeShare) {}

    /** A layer both models hold, and its speed in each. */
    public record SameLayer(String layer, long macsPerImage, double eenetGmacsPerSecond,
            double baselineGmacsPerSecond) {}

    /** Puts the two profiles side by side. */
    public static ProfileReport of(int cpus, String onednnOpts, LayerProfiler.Settings settings,
            List<StageProfile> eenet, List<StageProfile> baseline) {
        if (baseline.size() != 1) {
            throw new IllegalArgumentException(("the baseline has %s stages, expected 1: pass the network without "
                    + "early exits as --baseline").formatted(baseline.size()));
        }
        StageProfile base = baseline.get(0);
        List<Share> shares = new ArrayList<>();
        for (StageProfile s : eenet) {
            shares.add(new Share(s.stage(), (double) s.macsPerImage() / base.macsPerImage(),
                    s.callMicros() / base.callMicros()));
        }
        Map<String, Layer> baseLayers = new LinkedHashMap<>();
        for (StageProfile s : baseline) {
            s.layers().forEach(l -> baseLayers.put(l.name(), l));
        }
        List<SameLayer> same = new ArrayList<>();
        for (StageProfile s : eenet) {
            for (Layer l : s.layers()) {
                Layer b = baseLayers.get(l.name());
                if (b != null && l.macsPerImage() > 0 && b.macsPerImage() == l.macsPerImage()) {
                    same.add(new SameLayer(l.name(), l.macsPerImage(), l.gmacsPerSecond(), b.gmacsPerSecond()));
                }
            }
        }
        return new ProfileReport(cpus, onednnOpts, settings, eenet, baseline, shares, same);
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "eenet bench profile: time per layer of every stage, from TensorFlow's step statistics;"
                + " batch %d, %d traced calls after %d untraced%n", settings.batch(), settings.tracedCalls(),
                settings.warmupCalls());
        out.printf(Locale.ROOT, "  %d CPUs, TF_ENABLE_ONEDNN_OPTS=%s; random inputs (no layer's time depends on the"
                + " values); a layer = the operations named after it, fused ones included; layer times are traced,"
                + " and tracing slows each operation: compare layers with each other, calls with calls%n", cpus,
                onednnOpts);
        for (StageProfile s : concat(eenet, baseline)) {
            out.printf(Locale.ROOT, "%n%s stage %d: %.3fM MACs/img, %,.0f us per call untraced (%.1f GMAC/s), traced"
                    + " operations %,.0f us%n", s.model(), s.stage(), s.macsPerImage() / 1e6, s.callMicros(),
                    s.gmacsPerSecond(), s.operationMicros());
            out.println("  layer         us/batch    share    MACs/img    GMAC/s   ops");
            for (Layer l : s.layers()) {
                out.printf(Locale.ROOT, "  %-10s %11.1f %7.1f%% %11s %9s %5d%n", l.name(), l.microsPerBatch(),
                        l.share() * 100, l.macsPerImage() == 0 ? "-" : String.format(Locale.ROOT, "%,d", l.macsPerImage()),
                        l.macsPerImage() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", l.gmacsPerSecond()),
                        l.operations());
            }
        }
        if (!sameLayers.isEmpty()) {
            out.printf(Locale.ROOT, "%nThe same layers in both models (GMAC/s, traced)%n");
            out.println("  layer         MACs/img     eenet  baseline");
            for (SameLayer l : sameLayers) {
                out.printf(Locale.ROOT, "  %-10s %11s %9.1f %9.1f%n", l.layer(),
                        String.format(Locale.ROOT, "%,d", l.macsPerImage()), l.eenetGmacsPerSecond(),
                        l.baselineGmacsPerSecond());
            }
        }
        out.printf(Locale.ROOT, "%nEach EENet stage against the whole baseline, at batch %d (untraced calls)%n",
                settings.batch());
        out.println("  stage  MAC share  time share  time/MAC");
        for (Share s : shares) {
            out.printf(Locale.ROOT, "  %5d %10.3f %11.3f %9.2f%n", s.stage(), s.macShare(), s.timeShare(),
                    s.timeShare() / s.macShare());
        }
    }

    @Override
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the profile", e);
        }
    }

    private static List<StageProfile> concat(List<StageProfile> a, List<StageProfile> b) {
        List<StageProfile> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
