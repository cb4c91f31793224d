package io.eenet.local;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A local Flink cluster in this JVM (a MiniCluster of one TaskManager, web UI on the first free port of 8081-8099)
 * that outlives its jobs: the benchmarks submit each of their jobs to one cluster, as jobs run on a long-lived
 * cluster. (A MiniCluster per job loads Flink's RPC system, Pekko and Scala, into a class loader of its own each
 * time: thousands of classes loaded, compiled by the JIT and unloaded again per job, so the JIT never settles and
 * takes CPU from the job measured.)
 */
public final class LocalCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final int slots;

    private LocalCluster(MiniCluster cluster, int slots) {
        this.cluster = cluster;
        this.slots = slots;
    }

    /** Starts a cluster whose TaskManager has {@code slots} task slots. */
    public static LocalCluster start(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(RestOptions.BIND_PORT, "8081-8099");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        return new LocalCluster(cluster, slots);
    }

    public int slots() {
        return slots;
    }

    /** Submits the job {@code env} holds under {@code name}; returns once it is submitted. */
    public JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        JobID id = cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        return new MiniClusterJobClient(id, cluster, Thread.currentThread().getContextClassLoader(),
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    /**
     * Client settings that send a job to this cluster through its REST endpoint ({@code execution.target: remote}):
     * for the Table API, whose environment submits its own jobs. This JVM's classpath is the jobs' user code.
     */
    public Configuration remoteClientSettings() throws Exception {
        URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        return conf;
    }

    /** Stops the cluster and every job still on it. */
    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
