package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.local.cluster.ClusterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar ({@code job/target/eenet-job-*-job.jar}, what {@code flink run} and {@code ./eenet cluster
 * submit} upload) holds what a TaskManager runs and nothing else: the job, the operators, the runtime and their
 * libraries; no command line, no dataset fetching, no local tooling, no trainer, no benchmarks, not Flink. The jar
 * exists after {@code package}: the reactor builds the job module before this one ({@code mvn verify}).
 */
class JobJarContentsIT {

    static Path jar;
    static List<String> entries;

    @BeforeAll
    static void listEntries() throws IOException {
        jar = ClusterSpec.jobJar(Path.of(System.getProperty("eenet.repo", "..")));
        try (JarFile f = new JarFile(jar.toFile())) {
            entries = f.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void holdsTheJobTheOperatorsAndTheRuntime() throws IOException {
        assertThat(entries).as("entries of %s", jar).contains(
                "io/eenet/jobs/EarlyExitJob.class",
                "io/eenet/jobs/EarlyExitPipeline.class",
                "io/eenet/jobs/KafkaEnds.class",
                "io/eenet/jobs/StreamJobOptions.class",
                "io/eenet/stream/infer/EventReader.class",
                "io/eenet/stream/infer/EarlyExitFunction.class",
                "io/eenet/stream/infer/HeavyFunction.class",
                "io/eenet/stream/batch/MicroBatchOperator.class",
                "io/eenet/stream/format/EventCodec.class",
                "io/eenet/model/runtime/EarlyExitModel.class",
                "io/eenet/model/runtime/EarlyExitRunner.class",
                "io/eenet/model/store/ModelStores.class",
                "io/eenet/model/ManifestIo.class",
                "io/eenet/home/EenetHome.class",
                // What they need that a Flink cluster does not have.
                "ai/djl/tensorflow/engine/TfEngine.class",
                "org/tensorflow/SavedModelBundle.class",
                "org/apache/avro/Schema.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class");
        try (JarFile f = new JarFile(jar.toFile())) {
            assertThat(f.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.eenet.jobs.EarlyExitJob");
        }
    }

    @Test
    void holdsNoCommandLineNoDatasetsNoToolingNoFlink() {
        assertThat(entries).as("entries of %s", jar)
                .noneMatch(e -> e.startsWith("picocli/"))
                .noneMatch(e -> e.startsWith("io/eenet/cli/"))
                .noneMatch(e -> e.startsWith("io/eenet/data/DatasetFetcher"))
                .noneMatch(e -> e.startsWith("io/eenet/data/"))
                .noneMatch(e -> e.startsWith("io/eenet/local/"))
                .noneMatch(e -> e.startsWith("io/eenet/jobs/cluster/") || e.startsWith("io/eenet/jobs/demo/")
                        || e.startsWith("io/eenet/jobs/local/") || e.startsWith("io/eenet/jobs/tools/")
                        || e.startsWith("io/eenet/jobs/sql/"))
                .noneMatch(e -> e.startsWith("io/eenet/trainer/"))
                .noneMatch(e -> e.startsWith("io/eenet/bench/"))
                .noneMatch(e -> e.startsWith("io/eenet/sql/"))
                .noneMatch(e -> e.startsWith("kafka/server/")) // the broker (kafka_2.13)
                .noneMatch(e -> e.equals("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"));
    }
}
