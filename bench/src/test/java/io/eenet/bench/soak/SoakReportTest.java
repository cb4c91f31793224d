package io.eenet.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.bench.soak.SoakAnalysis.Sample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakReportTest {

    private static final HeapSizing FIXED = new HeapSizing(1L << 30, 1L << 30, true);

    private static SoakReport report(long duplicates) {
        return report(duplicates, FIXED);
    }

    private static SoakReport report(long duplicates, HeapSizing heap) {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 300; t += 10) {
            samples.add(new Sample(t, t * 1000L, Math.max(0, t * 1000L - 1000), 200L << 20, 60L << 20, 800L << 20,
                    t == 150 ? -1 : 450L << 20, 2.5));
        }
        SoakAnalysis a = SoakAnalysis.of(samples, SoakAnalysis.WARM_UP_FRACTION, SoakAnalysis.WINDOW_SECONDS);
        return new SoakReport(new SoakBenchmark.Settings(5, 1000, 4, 10, Duration.ofSeconds(1), Map.of()),
                "mnist-eenet", 2, "17", heap, 0.5, 2.5, samples, a, 300_000, 299_990, 10, duplicates, 0, 1.5);
    }

    @Test
    void printsTheWindowsGrowthAndGoals() {
        StringWriter s = new StringWriter();
        report(0).print(new PrintWriter(s, true));
        assertThat(s.toString())
                .contains("300,000 sent, 299,990 results + 10 dead letters, 0 duplicates")
                .contains("every event exactly one outcome")
                .contains("this JVM: heap fixed at 1024 MiB (-Xms = -Xmx), pre-touched; the broker's JVM: -Xmx512m -Xms512m")
                .contains("growth, first to last window: rss +0.00%")
                .contains("RSS growth after warm-up +0.00% (goal < 5%): met")
                .contains("Every event exactly one outcome: met");
        StringWriter d = new StringWriter();
        report(1).print(new PrintWriter(d, true));
        assertThat(d.toString()).contains("Every event exactly one outcome: NOT met");
    }

    @Test
    void saysWhenTheHeapWasFreeToGrow() {
        StringWriter s = new StringWriter();
        report(0, new HeapSizing(256L << 20, 4L << 30, false)).print(new PrintWriter(s, true));
        assertThat(s.toString())
                .contains("heap 256 MiB at start, up to 4096 MiB: RSS includes whatever heap the JVM commits")
                .contains("EENET_JAVA_OPTS=\"" + HeapSizing.FIXED_OPTIONS + "\"")
                .contains("RSS growth after warm-up +0.00% (goal < 5%): met (the heap was not fixed: see above)");
        assertThat(new HeapSizing(1L << 30, 1L << 30, false).describe()).contains("not pre-touched");
        assertThat(new HeapSizing(-1, -1, false).fixed()).isFalse();
    }

    @Test
    void jsonHasTheFiguresAndEverySample() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report(0).toJson());
        assertThat(json.get("sent").asLong()).isEqualTo(300_000);
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("heap").get("fixed").asBoolean()).isTrue();
        assertThat(json.get("heap").get("maxBytes").asLong()).isEqualTo(1L << 30);
        assertThat(json.get("analysis").get("rssGrowth").asDouble()).isZero();
        assertThat(json.get("analysis").get("first").get("outRate").asDouble()).isEqualTo(1000);
        assertThat(json.get("goals").get("rssGrowth").asBoolean()).isTrue();
        assertThat(json.get("samples")).hasSize(31);
        assertThat(json.get("samples").get(15).get("brokerRss").asLong()).isEqualTo(-1);
    }
}
