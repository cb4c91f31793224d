package io.eenet.cli.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.eenet.home.EenetHome;
import io.eenet.local.cluster.ClusterSpec;
import io.eenet.local.cluster.FlinkRest;
import io.eenet.local.cluster.StandaloneCluster;
import io.eenet.model.store.ModelStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ./eenet cluster up|submit|stop|status|down}: a standalone Flink session cluster with a Kafka broker on
 * this machine ({@link StandaloneCluster}); its state lives in {@code $EENET_HOME/cluster}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "A standalone Flink cluster (JobManager, TaskManagers 'early' and 'heavy') and a Kafka broker on this machine.",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Submit.class, ClusterCommand.Stop.class,
                ClusterCommand.Status.class, ClusterCommand.Down.class})
public final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static class DirOption {
        @Option(names = "--dir", description = "Cluster state directory (default: $EENET_HOME/cluster).")
        Path dir;

        Path dir() {
            return dir != null ? dir : StandaloneCluster.defaultDir();
        }

        /** The cluster in {@link #dir()}; none: says so on stdout. */
        java.util.Optional<StandaloneCluster> find() throws java.io.IOException {
            var found = StandaloneCluster.find(dir());
            if (found.isEmpty()) {
                System.out.println("no cluster in " + dir());
            }
            return found;
        }

        StandaloneCluster cluster() throws Exception {
            return StandaloneCluster.find(dir()).orElseThrow(() -> new IllegalStateException(
                    "no cluster in %s; start one: ./eenet cluster up".formatted(dir())));
        }
    }

    static Path repo() {
        String repo = System.getProperty("eenet.repo");
        if (repo == null) {
            throw new IllegalStateException("the system property eenet.repo (the checkout) is not set; use ./eenet");
        }
        return Path.of(repo);
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start a Kafka broker, a JobManager and two TaskManagers; return once all are up.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (0: a free one). Default: ${DEFAULT-VALUE}.")
        int kafkaPort;

        @Option(names = "--rest-port", defaultValue = "8081", description = "Flink REST/web UI port (0: a free one). Default: ${DEFAULT-VALUE}.")
        int restPort;

        @Option(names = "--early-slots", defaultValue = "2", description = "Slots of TaskManager 'early'. Default: ${DEFAULT-VALUE}.")
        int earlySlots;

        @Option(names = "--heavy-slots", defaultValue = "1", description = "Slots of TaskManager 'heavy'. Default: ${DEFAULT-VALUE}.")
        int heavySlots;

        @Option(names = "--early-memory", defaultValue = "1g", description = "Process memory of TaskManager 'early'. Default: ${DEFAULT-VALUE}.")
        String earlyMemory;

        @Option(names = "--heavy-memory", defaultValue = "1g", description = "Process memory of TaskManager 'heavy'. Default: ${DEFAULT-VALUE}.")
        String heavyMemory;

        @Option(names = "--jobmanager-heap", defaultValue = "256m", description = "JobManager heap. Default: ${DEFAULT-VALUE}.")
        String jmHeap;

        @Option(names = "--flink-option", paramLabel = "KEY=VALUE", description = "Any Flink option for the cluster's config.yaml.")
        Map<String, String> flinkOptions = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            ClusterSpec.Builder b = ClusterSpec.fromRepo(repo(), dir.dir()).optKafkaPort(kafkaPort).optRestPort(restPort)
                    .optSlots(earlySlots, heavySlots)
                    .optMemory(MemorySize.parse(earlyMemory), MemorySize.parse(heavyMemory))
                    .optJobManagerHeap(jmHeap).optEenetHome(EenetHome.resolve().home());
            flinkOptions.forEach(b::optFlinkOption);
            StandaloneCluster.up(b.build(), System.out);
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Upload the job jar and run the job; options after the command's own go to the job"
                    + " (./eenet job --help), e.g. --model.name mnist-eenet.")
    static final class Submit implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Option(names = "--jar", description = "The job jar (default: job/target/eenet-job-*-job.jar).")
        Path jar;

        @Option(names = "--from-savepoint", description = "Start from this savepoint (./eenet cluster stop prints it).")
        String savepoint;

        /**
         * Everything the command does not know goes to the job: --kafka.bootstrap-servers, --early.parallelism and
         * --heavy.parallelism default to the cluster's, --placement.resource-profiles to true (the TaskManagers
         * declare the resources), --model.store to $EENET_STORE or $EENET_HOME/store.
         */
        @CommandLine.Unmatched
        List<String> jobArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            StandaloneCluster cluster = dir.cluster();
            List<String> args = new ArrayList<>(jobArgs);
            if (!args.contains("--model.store")) {
                args.addAll(List.of("--model.store", ModelStores.defaultLocation().toString()));
            }
            Path jobJar = jar != null ? jar : ClusterSpec.jobJar(repo());
            String jobId = cluster.submit(jobJar, args, savepoint);
            cluster.awaitRunning(jobId, Duration.ofMinutes(2));
            System.out.println("job " + jobId + " running" + (savepoint != null ? " (from " + savepoint + ")" : ""));
            cluster.placement(jobId).forEach((vertex, tms) -> {
                for (int i = 0; i < tms.size(); i++) {
                    System.out.printf("  %s [%d/%d] on TaskManager %s%n", vertex, i, tms.size(), tms.get(i));
                }
            });
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the running job with a savepoint and print the savepoint's path (for submit --from-savepoint).")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Parameters(arity = "0..1", paramLabel = "JOB_ID", description = "The job (default: the only active one).")
        String jobId;

        @Override
        public Integer call() throws Exception {
            StandaloneCluster cluster = dir.cluster();
            String id = jobId;
            if (id == null) {
                List<String> active = cluster.activeJobs();
                if (active.size() != 1) {
                    throw new IllegalStateException("%s active jobs %s; name one".formatted(active.size(), active));
                }
                id = active.get(0);
            }
            System.out.println(cluster.stopWithSavepoint(id));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Processes, TaskManagers, slots and jobs.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            var found = dir.find();
            if (found.isEmpty()) {
                return 1;
            }
            StandaloneCluster cluster = found.get();
            System.out.println("cluster in " + cluster.dir() + ": Kafka " + cluster.bootstrapServers() + ", Flink "
                    + cluster.rest().url());
            cluster.processes().forEach((role, what) -> System.out.println("  " + role + ": " + what));
            if (cluster.rest().reachable()) {
                JsonNode o = cluster.rest().overview();
                System.out.println("  TaskManagers " + o.path("taskmanagers").asInt() + ", slots "
                        + o.path("slots-available").asInt() + " free of " + o.path("slots-total").asInt());
                for (FlinkRest.JobState j : cluster.rest().jobs()) {
                    System.out.println("  job " + j.id() + " " + j.status());
                }
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Cancel jobs, stop TaskManagers, JobManager and broker, check no process is left.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            var found = dir.find();
            if (found.isPresent()) {
                found.get().down(System.out);
            }
            return 0;
        }
    }
}
