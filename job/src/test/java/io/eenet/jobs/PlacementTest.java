package io.eenet.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.api.common.resources.CPUResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's slot sharing groups, with and without resource profiles, read from its stream graph. */
class PlacementTest {

    private static StreamGraph graph(String... args) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EarlyExitPipeline.build(env, StreamJobOptions.parse(args));
        return env.getStreamGraph();
    }

    /** Operator name -> slot sharing group, for every node of the graph (sink writers and committers included). */
    private static Map<String, String> groups(StreamGraph g) {
        Map<String, String> m = new TreeMap<>();
        for (StreamNode n : g.getStreamNodes()) {
            m.put(n.getOperatorName(), n.getSlotSharingGroup());
        }
        return m;
    }

    @Test
    void withProfilesEveryOperatorIsInAProfiledGroupAndOnlyTheHeavyPathAsksForTheHeavyResource() {
        StreamGraph g = graph("--placement.resource-profiles", "true", "--placement.heavy.cpu-cores", "0.5",
                "--placement.heavy.task-heap", "100m");
        Map<String, String> groups = groups(g);
        // The heavy path: the heavy operator and the results sink chained to it.
        Predicate<String> heavyPath = n -> n.equals("heavy") || n.contains("(heavy)");
        assertThat(groups).containsEntry("heavy", "heavy");
        assertThat(groups.keySet()).filteredOn(heavyPath).hasSizeGreaterThan(1);
        assertThat(groups.entrySet()).filteredOn(e -> heavyPath.test(e.getKey()))
                .extracting(Map.Entry::getValue).containsOnly("heavy");
        assertThat(groups.entrySet()).filteredOn(e -> !heavyPath.test(e.getKey()))
                .extracting(Map.Entry::getValue).containsOnly("early");
        assertThat(groups.keySet()).anyMatch(n -> n.contains("frame-results")).anyMatch(n -> n.contains("early-exit"));

        ResourceProfile heavy = g.getSlotSharingGroupResource("heavy").orElseThrow();
        ResourceProfile early = g.getSlotSharingGroupResource("early").orElseThrow();
        assertThat(heavy.getCpuCores()).isEqualTo(new CPUResource(0.5));
        assertThat(heavy.getTaskHeapMemory()).isEqualTo(MemorySize.parse("100m"));
        assertThat(heavy.getExtendedResources()).containsOnlyKeys("heavy");
        assertThat(heavy.getExtendedResources().get("heavy").getValue()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(early.getCpuCores()).isEqualTo(new CPUResource(1.0));
        assertThat(early.getTaskHeapMemory()).isEqualTo(MemorySize.parse("64m"));
        assertThat(early.getExtendedResources()).containsOnlyKeys("early");
        assertThat(g.getSlotSharingGroupResource("default")).isEmpty();
    }

    @Test
    void withoutProfilesTheGroupsAreNamesOnlySoAnyClusterRunsTheJob() {
        StreamGraph g = graph();
        assertThat(groups(g).values()).containsOnly("early", "heavy");
        assertThat(g.getSlotSharingGroupResource("early")).isEmpty();
        assertThat(g.getSlotSharingGroupResource("heavy")).isEmpty();
    }

    @Test
    void profilesNeedTwoGroupsAndTwoResources() {
        assertThatThrownBy(() -> graph("--placement.resource-profiles", "true", "--heavy.slot-sharing-group", "early"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heavy.slot-sharing-group").hasMessageContaining("group of its own");
        assertThatThrownBy(() -> graph("--placement.resource-profiles", "true", "--placement.heavy.external-resource",
                "early")).hasMessageContaining("different external resources");
        assertThatThrownBy(() -> graph("--placement.resource-profiles", "true", "--placement.early.cpu-cores", "0"))
                .hasMessageContaining("CPU cores must be above 0");
        // Without profiles, sharing slots with the early group stays possible.
        assertThat(groups(graph("--heavy.slot-sharing-group", "early")).values()).containsOnly("early");
    }
}
