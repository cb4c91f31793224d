package io.eenet.local;

import io.eenet.files.FileTrees;
import io.eenet.jobs.EarlyExitJob;
import io.eenet.jobs.EarlyExitPipeline;
import io.eenet.jobs.StreamJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The early-exit job on a local Flink cluster (a MiniCluster in this JVM, web UI on the first free port of
 * 8081-8099), for the demo and the stream benchmark. Unless the job's options name a checkpoint directory, its
 * checkpoints go to a temporary directory, removed when the job is closed.
 */
public final class LocalJob implements AutoCloseable {

    private final JobClient client;
    private final Path checkpoints;

    private LocalJob(JobClient client, Path checkpoints) {
        this.client = client;
        this.checkpoints = checkpoints;
    }

    /**
     * Submits the job with {@code jobConf} ({@link StreamJobOptions}) to a local cluster with {@link #slots} task
     * slots; returns once it is submitted.
     */
    public static LocalJob start(Configuration jobConf, String name) throws Exception {
        return start(null, jobConf, name);
    }

    /**
     * Submits the job with {@code jobConf} to {@code cluster}, which must have {@link #slots} task slots free (null:
     * a local cluster of the job's own, stopped with it); returns once it is submitted.
     */
    public static LocalJob start(LocalCluster cluster, Configuration jobConf, String name) throws Exception {
        if (cluster != null && cluster.slots() < slots(jobConf)) {
            throw new IllegalArgumentException(String.format("the job needs %d task slots, the local cluster has %d",
                    slots(jobConf), cluster.slots()));
        }
        Path checkpoints = null;
        if (!jobConf.contains(StreamJobOptions.CHECKPOINT_DIR)) { // the JobManager's memory holds only 5 MB
            checkpoints = Files.createTempDirectory("eenet-checkpoints");
            jobConf = new Configuration(jobConf);
            jobConf.set(StreamJobOptions.CHECKPOINT_DIR, checkpoints.toUri().toString());
        }
        String jobName = name == null ? EarlyExitJob.NAME : name;
        if (cluster == null) {
            Configuration own = new Configuration();
            own.set(TaskManagerOptions.NUM_TASK_SLOTS, slots(jobConf));
            own.set(RestOptions.BIND_PORT, "8081-8099");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(own);
            env.setParallelism(1);
            EarlyExitPipeline.build(env, jobConf);
            return new LocalJob(env.executeAsync(jobName), checkpoints);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        EarlyExitPipeline.build(env, jobConf);
        return new LocalJob(cluster.submit(env, jobName), checkpoints);
    }

    /**
     * Task slots a local job with {@code jobConf} needs: one per early-exit subtask and one per heavy subtask (the
     * heavy operator and its results sink have a slot sharing group of their own; the source, de-duplication and the
     * other sinks share the early-exit operator's slots). With fewer, the job waits for slots that never come.
     */
    public static int slots(Configuration jobConf) {
        return Math.max(1, jobConf.get(StreamJobOptions.EARLY_PARALLELISM))
                + Math.max(1, jobConf.get(StreamJobOptions.HEAVY_PARALLELISM));
    }

    public JobStatus status() throws Exception {
        return client.getJobStatus().get(10, TimeUnit.SECONDS);
    }

    /** Cancels the job (which stops its local cluster if it has one of its own) and waits for it. */
    @Override
    public void close() throws Exception {
        try {
            if (!status().isGloballyTerminalState()) {
                client.cancel().get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // already gone with its cluster
        }
        if (checkpoints != null) {
            FileTrees.deleteQuietly(checkpoints); // a temporary directory: what is left is the system's to clean
        }
    }
}
