package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.home.EenetHome;
import io.eenet.local.cluster.ClusterSpec;
import io.eenet.local.cluster.StandaloneCluster;
import io.eenet.stream.format.FrameResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone Flink cluster ({@link StandaloneCluster}: a Kafka broker, a JobManager and the
 * TaskManagers {@code early} and {@code heavy}, each its own JVM, as {@code ./eenet cluster up} starts them),
 * submitted as the shaded job jar over REST; then an upgrade: stop with a savepoint, promote version 2 of the
 * model in the store, start from the savepoint. Every event exactly once across the switch, events sent after
 * it on version 2; no process left at the end. Both times, every heavy subtask runs on TaskManager {@code heavy} and
 * every other one on {@code early} (the slot sharing groups' resource profiles). And issue 15's poison pills on
 * these TaskManagers, whose task heap is that of a small cluster (under 256 MiB): no restart, one outcome each.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {

    static final int BEFORE = 200;
    static final int DURING = 100;

    @TempDir
    static Path tmp;

    static StandaloneCluster cluster;
    static KafkaTestClient kafka;
    static StreamScenarios scenarios;
    static final PrintStream LOG = System.out;

    @BeforeAll
    static void up() throws Exception {
        Path repo = Path.of(System.getProperty("eenet.repo", ".."));
        long t0 = System.nanoTime();
        cluster = StandaloneCluster.up(ClusterSpec.fromRepo(repo, tmp.resolve("cluster")).optKafkaPort(0).optRestPort(0)
                .optSlots(2, 1).optEenetHome(EenetHome.resolve().home()).build(), LOG);
        LOG.printf("cluster test: cluster up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Runtime.getRuntime().addShutdownHook(HOOK); // the fork killed (e.g. by a timeout): still stop the cluster
        kafka = new KafkaTestClient(cluster.bootstrapServers());
        scenarios = new StreamScenarios(kafka, tmp); // publishes it-eenet version 1, current
    }

    static final Thread HOOK = new Thread(() -> {
        try {
            cluster.down(System.err);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }, "cluster-test-down");

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            Runtime.getRuntime().removeShutdownHook(HOOK);
            cluster.down(LOG);
            assertThat(cluster.livePids()).as("processes left after down").isEmpty();
        }
    }

    @Test
    void framesInResultsOutExactlyOnceAcrossAnUpgradeFromASavepoint() throws Exception {
        long t0 = System.nanoTime();
        Path store = tmp.resolve("store");
        StreamScenarios.Run run = scenarios.newRun("cluster");
        List<String> args = args(run);
        Path jar = jobJar();

        String job = cluster.submit(jar, args, null);
        cluster.awaitRunning(job, Duration.ofMinutes(2));
        Map<String, List<String>> placement = cluster.placement(job);
        LOG.println("cluster test: job " + job + " placement " + placement);
        assertHeavyPathOnHeavyTaskManager(placement);
        kafka.send(scenarios.goodEvents(run.input(), 0, BEFORE));
        StreamScenarios.Outputs first = scenarios.awaitOutputs(run, BEFORE);
        assertThat(first.results()).hasSize(BEFORE);
        assertThat(first.results()).extracting(FrameResult::modelVersion).containsOnly("1");
        LOG.printf("cluster test: %d frames in, %d results out after %.1f s%n", BEFORE, first.results().size(),
                (System.nanoTime() - t0) / 1e9);

        // Upgrade: more frames arrive while the job stops with a savepoint; version 2 becomes current; the job
        // starts again from the savepoint.
        long u0 = System.nanoTime();
        kafka.send(scenarios.goodEvents(run.input(), BEFORE, BEFORE + DURING));
        String savepoint = cluster.stopWithSavepoint(job);
        TinyModel.publish(store, tmp, "2", 11);
        String upgraded = cluster.submit(jar, args, savepoint);
        cluster.awaitRunning(upgraded, Duration.ofMinutes(2));
        assertHeavyPathOnHeavyTaskManager(cluster.placement(upgraded));
        LOG.printf("cluster test: upgrade (stop with savepoint, publish version 2, restart) took %.1f s; savepoint %s%n",
                (System.nanoTime() - u0) / 1e9, savepoint);
        kafka.send(scenarios.goodEvents(run.input(), BEFORE + DURING, StreamScenarios.EVENTS));

        StreamScenarios.Outputs all = scenarios.awaitOutputs(run, StreamScenarios.EVENTS);
        assertThat(all.deadLetters()).isEmpty();
        assertThat(all.results()).hasSize(StreamScenarios.EVENTS);
        Map<String, FrameResult> byId = all.results().stream()
                .collect(Collectors.toMap(FrameResult::eventId, Function.identity())); // throws on a duplicate
        for (int i = 0; i < StreamScenarios.EVENTS; i++) {
            FrameResult r = byId.get("e" + i);
            assertThat(r).as("result of e%d", i).isNotNull();
            if (i < BEFORE) {
                assertThat(r.modelVersion()).as("version of e%d (before the upgrade)", i).isEqualTo("1");
            } else if (i >= BEFORE + DURING) {
                assertThat(r.modelVersion()).as("version of e%d (after the upgrade)", i).isEqualTo("2");
            } else {
                assertThat(r.modelVersion()).as("version of e%d (sent during the upgrade)", i).isIn("1", "2");
            }
        }
        // The results that were committed before the upgrade are still there, unchanged.
        assertThat(all.results().stream().map(StandaloneClusterIT::summary).toList())
                .containsAll(first.results().stream().map(StandaloneClusterIT::summary).toList());
        LOG.printf("cluster test: %d events, each exactly once, %d on version 1, %d on version 2, %.1f s in all%n",
                StreamScenarios.EVENTS, all.results().stream().filter(r -> r.modelVersion().equals("1")).count(),
                all.results().stream().filter(r -> r.modelVersion().equals("2")).count(), (System.nanoTime() - t0) / 1e9);
        cluster.rest().cancel(upgraded);
    }

    /**
     * Issue 15's poison pills among good events ({@link StreamScenarios#sendPoisonPills}) on TaskManagers whose task
     * heap is under 256 MiB (1 GiB of process memory each, Flink's memory model): the job never restarts, every
     * event has exactly one outcome, each pill its reason.
     */
    @Test
    void poisonPillsOnTaskManagersWithSmallHeapsFailNothing() throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode tm : cluster.rest().taskManagers()) {
            long taskHeap = tm.path("memoryConfiguration").path("taskHeap").asLong();
            LOG.printf("cluster test: TaskManager %s task heap %d MiB%n", tm.path("id").asText(), taskHeap >> 20);
            assertThat(taskHeap).as("task heap of %s", tm.path("id").asText()).isPositive().isLessThan(256L << 20);
        }
        StreamScenarios.PoisonRun poison = scenarios.sendPoisonPills("cluster-pills");
        String job = cluster.submit(jobJar(), args(poison.run()), null);
        cluster.awaitRunning(job, Duration.ofMinutes(2));
        StreamScenarios.Outputs out;
        try {
            out = scenarios.awaitOutputs(poison.run(), poison.events());
            assertThat(cluster.rest().job(job).path("timestamps").path("RESTARTING").asLong())
                    .as("the job never restarted").isZero();
        } finally {
            cluster.rest().cancel(job);
        }
        scenarios.assertPoisonOutcomes(poison, out);
    }

    private static List<String> args(StreamScenarios.Run run) {
        List<String> args = new ArrayList<>();
        run.conf().toMap().forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        return args;
    }

    private static Path jobJar() {
        return ClusterSpec.jobJar(Path.of(System.getProperty("eenet.repo", "..")));
    }

    /**
     * Every subtask of the heavy operator runs on TaskManager {@code heavy}, every other subtask (source,
     * early-exit operator, sinks) on {@code early}: the groups' resource profiles request the external resource
     * only that TaskManager declares. Read from Flink's REST API ({@code /jobs/:id/vertices/:vid}).
     */
    static void assertHeavyPathOnHeavyTaskManager(Map<String, List<String>> placement) {
        // The heavy operator heads its vertex (its results sink is chained to it).
        List<String> heavy = placement.keySet().stream().filter(v -> v.startsWith("heavy")).toList();
        assertThat(heavy).as("vertices headed by the heavy operator, of %s", placement.keySet()).hasSize(1);
        assertThat(placement.keySet()).as("vertices").anyMatch(v -> v.contains("early-exit"));
        placement.forEach((vertex, taskManagers) -> {
            String expected = heavy.contains(vertex) ? StandaloneCluster.TM_HEAVY : StandaloneCluster.TM_EARLY;
            assertThat(taskManagers).as("TaskManagers of the subtasks of '%s'", vertex).isNotEmpty()
                    .containsOnly(expected);
        });
        assertThat(placement.get(heavy.get(0))).as("heavy subtasks").hasSize(1);
    }

    private static String summary(FrameResult r) {
        return r.eventId() + " " + r.label() + " " + r.exit() + " " + r.modelVersion();
    }
}
