package io.eenet.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's bookkeeping without starting anything: only its own processes are ever signalled. */
class StandaloneClusterTest {

    @TempDir
    Path dir;

    private void writeState(long pid, String start) throws Exception {
        Properties p = new Properties();
        p.setProperty("id", "test-cluster");
        p.setProperty("kafka.pid", Long.toString(pid));
        p.setProperty("kafka.start", start);
        try (Writer w = Files.newBufferedWriter(dir.resolve(StandaloneCluster.STATE_FILE))) {
            p.store(w, null);
        }
    }

    @Test
    void aRecordedPidThatIsNotOursIsLeftAlone() throws Exception {
        // This JVM: alive, with the recorded start time, but without the cluster's marker on its command line.
        ProcessHandle self = ProcessHandle.current();
        writeState(self.pid(), self.info().startInstant().map(Instant::toString).orElse(""));
        StandaloneCluster cluster = StandaloneCluster.find(dir).orElseThrow();
        assertThat(cluster.process("kafka")).isEmpty();
        assertThat(cluster.livePids()).isEmpty();
        cluster.down(System.out); // must not signal this JVM
        assertThat(self.isAlive()).isTrue();
        assertThat(dir.resolve(StandaloneCluster.STATE_FILE)).doesNotExist();
        assertThat(StandaloneCluster.find(dir)).isEmpty();
    }

    @Test
    void aRecordedPidWithAnotherStartTimeIsNotOurs() throws Exception {
        writeState(ProcessHandle.current().pid(), "2001-01-01T00:00:00Z");
        assertThat(StandaloneCluster.find(dir).orElseThrow().process("kafka")).isEmpty();
    }

    @Test
    void theSpecChecksWhatItIsGiven() {
        assertThatThrownBy(() -> ClusterSpec.builder(dir).setKafkaClasspath("k").build())
                .hasMessageContaining("Flink classpath");
        assertThatThrownBy(() -> ClusterSpec.builder(dir).setFlinkClasspath("f").setKafkaClasspath("k").optSlots(0, 1)
                .build()).hasMessageContaining("at least one slot");
        assertThat(ClusterSpec.builder(dir).setFlinkClasspath("f").setKafkaClasspath("k").build().restPort()).isEqualTo(8081);
    }

    @Test
    void theNativeJarsAreTensorFlowDjlAndWhatTheyHandOut() {
        String cp = String.join(java.io.File.pathSeparator, "/m2/org/tensorflow/tensorflow-core-api/1.0.0/a.jar",
                "/m2/ai/djl/api/0.36.0/api.jar", "/m2/org/apache/flink/flink-core/2.2.1/flink-core.jar",
                "/m2/org/bytedeco/javacpp/1.5/javacpp.jar", "/m2/org/apache/avro/avro/1.12.1/avro.jar",
                "/m2/com/google/protobuf/protobuf-java/3/p.jar");
        assertThat(ClusterSpec.nativeJars(cp).split(java.io.File.pathSeparator)).containsExactly(
                "/m2/org/tensorflow/tensorflow-core-api/1.0.0/a.jar", "/m2/ai/djl/api/0.36.0/api.jar",
                "/m2/org/bytedeco/javacpp/1.5/javacpp.jar", "/m2/com/google/protobuf/protobuf-java/3/p.jar");
    }

    @Test
    void eachTaskManagerGetsTheEngineSettingsMeasuredForItsRole() {
        java.util.Map<String, String> env = java.util.Map.of("TF_ENABLE_ONEDNN_OPTS", "1",
                "EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS", "0");
        String onednn = "TF_ENABLE_ONEDNN_OPTS";
        String intra = "TF_NUM_INTRAOP_THREADS";
        assertThat(StandaloneCluster.engineSetting("taskmanager-heavy", onednn, env)).contains("0");
        assertThat(StandaloneCluster.engineSetting("taskmanager-early", onednn, env)).contains("1");
        assertThat(StandaloneCluster.engineSetting("jobmanager", onednn, env)).contains("1");
        assertThat(StandaloneCluster.engineSetting("taskmanager-early", onednn, java.util.Map.of())).isEmpty();
        assertThat(StandaloneCluster.engineSetting("taskmanager-early", onednn,
                java.util.Map.of("EENET_EARLY_TF_ENABLE_ONEDNN_OPTS", "0"))).contains("0");
        // an intra-op pool of 0 threads is TensorFlow's default: left unset
        java.util.Map<String, String> pools = java.util.Map.of("EENET_EARLY_TF_NUM_INTRAOP_THREADS", "1",
                "EENET_HEAVY_TF_NUM_INTRAOP_THREADS", "0");
        assertThat(StandaloneCluster.engineSetting("taskmanager-early", intra, pools)).contains("1");
        assertThat(StandaloneCluster.engineSetting("taskmanager-heavy", intra, pools)).isEmpty();
    }

    @Test
    void theClusterConfigurationOfATaskManagerKindOffersWhatItsGroupRequests() {
        Configuration tm = StandaloneCluster.taskManagerResources("heavy", 3);
        assertThat(tm.toMap()).containsEntry("external-resources", "heavy")
                .containsEntry("external-resource.heavy.amount", "3");
    }
}
