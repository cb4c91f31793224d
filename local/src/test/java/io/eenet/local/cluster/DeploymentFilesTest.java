package io.eenet.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.jobs.EarlyExitJob;
import io.eenet.jobs.StreamJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of {@code docker/} and {@code k8s/} without Docker or Kubernetes (neither runs on the
 * machines this is built on): the files parse, image tags are pinned in {@code docker/.env} and match the
 * versions the job is built against, services, volumes and ports referenced exist and agree with the job's
 * options, and the Grafana dashboard uses the job's metric names.
 */
class DeploymentFilesTest {

    static Path repo;
    static Map<String, String> env;
    static Map<String, Object> compose;
    static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve("docker/compose.yaml"))) {
            repo = repo.getParent();
        }
        env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(repo.resolve("docker/.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        compose = new Yaml().load(Files.readString(repo.resolve("docker/compose.yaml")));
        services = (Map<String, Object>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        assertThat(services).as("services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    /** The variables of a {@code ${NAME}} value, resolved from .env. */
    static String resolve(String value) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertThat(env).as("variable %s in docker/.env", m.group(1)).containsKey(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(env.get(m.group(1))));
        }
        return m.appendTail(sb).toString();
    }

    /** A Flink service's configuration: FLINK_PROPERTIES as key-value pairs. */
    @SuppressWarnings("unchecked")
    static Map<String, String> flinkProperties(String service) {
        Map<String, Object> environment = (Map<String, Object>) service(service).get("environment");
        Map<String, String> props = new LinkedHashMap<>();
        for (String line : String.valueOf(environment.get("FLINK_PROPERTIES")).split("\n")) {
            if (!line.isBlank()) {
                props.put(line.substring(0, line.indexOf(':')).trim(), line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return props;
    }

    static final List<String> FLINK_SERVICES = List.of("jobmanager", "taskmanager-early", "taskmanager-heavy");

    @Test
    void imagesArePinnedInDotEnvAndMatchTheBuild() throws Exception {
        for (Map.Entry<String, Object> s : services.entrySet()) {
            String image = String.valueOf(((Map<?, ?>) s.getValue()).get("image"));
            assertThat(image).as("image of %s", s.getKey()).matches("\\$\\{\\w+_IMAGE}");
            String resolved = resolve(image);
            assertThat(resolved).as("tag of %s", s.getKey()).matches("[\\w./-]+:[\\w.-]*\\d[\\w.-]*")
                    .doesNotContain("latest");
        }
        String flinkVersion = EnvironmentInformation.getVersion();
        assertThat(env.get("FLINK_IMAGE")).startsWith("flink:" + flinkVersion + "-").endsWith("-java17");
        assertThat(env.get("KAFKA_IMAGE")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(Files.readString(repo.resolve("docker/Dockerfile"))).contains("FROM ${FLINK_IMAGE}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesAndVolumesReferencedExist() {
        Set<String> volumes = ((Map<String, Object>) compose.get("volumes")).keySet();
        for (Map.Entry<String, Object> s : services.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) s.getValue();
            Object deps = svc.get("depends_on");
            List<String> names = deps instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList()
                    : deps == null ? List.of() : (List<String>) deps;
            assertThat(services.keySet()).as("depends_on of %s", s.getKey()).containsAll(names);
            for (Object v : (List<Object>) svc.getOrDefault("volumes", List.of())) {
                String source = String.valueOf(v).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/") && !source.startsWith("$")) {
                    assertThat(volumes).as("volume %s of %s", source, s.getKey()).contains(source);
                } else if (source.startsWith("./")) {
                    assertThat(repo.resolve("docker").resolve(source)).as("file mounted into %s", s.getKey()).exists();
                }
            }
        }
        // Every Flink process mounts the model store where the job reads it and the native libraries.
        for (String f : FLINK_SERVICES) {
            List<Object> mounts = (List<Object>) service(f).get("volumes");
            assertThat(mounts).as("mounts of %s", f).contains("${MODEL_STORE}:/models:ro",
                    "${NATIVE_LIB}:/opt/flink/lib/eenet-native:ro");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsAndOptionsAgreeWithTheJob() {
        Map<String, String> jm = flinkProperties("jobmanager");
        String restPort = jm.get("rest.port");
        assertThat((List<Object>) service("jobmanager").get("ports")).contains(restPort + ":" + restPort);
        Map<String, Object> kafkaEnv = (Map<String, Object>) service("kafka").get("environment");
        assertThat(String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"))).contains("PLAINTEXT://kafka:9092",
                "HOST://localhost:29092");
        assertThat(String.valueOf(kafkaEnv.get("KAFKA_LISTENERS"))).contains("PLAINTEXT://:9092", "HOST://:29092");
        assertThat((List<Object>) service("kafka").get("ports")).contains("29092:29092");

        List<String> cmd = ((List<Object>) service("submitter").get("command")).stream().map(String::valueOf).toList();
        assertThat(cmd.get(cmd.indexOf("--jobmanager") + 1)).isEqualTo("jobmanager:" + restPort);
        assertThat(cmd.get(cmd.indexOf("--class") + 1)).isEqualTo(EarlyExitJob.class.getName());
        assertThat((List<Object>) service("submitter").get("volumes")).contains("${JOB_JAR}:" + cmd.get(cmd.indexOf("--class") + 2) + ":ro");
        Map<String, String> job = jobOptions(cmd.subList(cmd.indexOf("--class") + 3, cmd.size()));
        assertThat(job).containsEntry(StreamJobOptions.BOOTSTRAP_SERVERS.key(), "kafka:9092")
                .containsEntry(StreamJobOptions.MODEL_STORE.key(), "/models")
                .containsEntry(StreamJobOptions.HEAVY_SLOT_SHARING_GROUP.key(),
                        StreamJobOptions.HEAVY_SLOT_SHARING_GROUP.defaultValue())
                .containsEntry(StreamJobOptions.EARLY_PARALLELISM.key(),
                        flinkProperties("taskmanager-early").get("taskmanager.numberOfTaskSlots"))
                .containsEntry(StreamJobOptions.HEAVY_PARALLELISM.key(),
                        flinkProperties("taskmanager-heavy").get("taskmanager.numberOfTaskSlots"));
        // The topics the job reads and writes by default are the ones created.
        String topics = String.valueOf(((List<Object>) service("kafka-topics").get("command")).get(0));
        for (String t : StandaloneCluster.TOPICS) {
            assertThat(topics).contains(t);
        }
        assertThat(StandaloneCluster.TOPICS).contains(StreamJobOptions.INPUT_TOPIC.defaultValue(),
                StreamJobOptions.RESULTS_TOPIC.defaultValue(), StreamJobOptions.DEAD_LETTER_TOPIC.defaultValue());

        for (String f : FLINK_SERVICES) {
            Map<String, String> p = flinkProperties(f);
            assertThat(p).as("configuration of %s", f).containsEntry("jobmanager.rpc.address", "jobmanager")
                    .containsEntry("rest.port", restPort)
                    .containsEntry("classloader.parent-first-patterns.additional", String.join(";", ClusterSpec.NATIVE_PACKAGES))
                    .containsEntry("metrics.reporter.prom.factory.class",
                            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                    .containsKey("metrics.reporter.prom.port");
        }
        assertThat(flinkProperties("taskmanager-early")).containsEntry("taskmanager.resource-id", StandaloneCluster.TM_EARLY);
        assertThat(flinkProperties("taskmanager-heavy")).containsEntry("taskmanager.resource-id", StandaloneCluster.TM_HEAVY);
        // Placement: each kind declares the external resource its group requests, one unit per slot, as
        // ./eenet cluster up does; the submitter turns the profiles on.
        assertThat(job).containsEntry(StreamJobOptions.RESOURCE_PROFILES.key(), "true");
        for (String kind : List.of("early", "heavy")) {
            Map<String, String> p = flinkProperties("taskmanager-" + kind);
            assertThat(p).as("taskmanager-%s", kind).containsAllEntriesOf(StandaloneCluster.taskManagerResources(kind,
                    Integer.parseInt(p.get("taskmanager.numberOfTaskSlots"))).toMap());
        }
        assertThat(StreamJobOptions.EARLY_RESOURCE.defaultValue()).isEqualTo(StandaloneCluster.TM_EARLY);
        assertThat(StreamJobOptions.HEAVY_RESOURCE.defaultValue()).isEqualTo(StandaloneCluster.TM_HEAVY);
    }

    /** {@code --key value} pairs, each key a known job option. */
    static Map<String, String> jobOptions(List<String> args) {
        Set<String> known = StreamJobOptions.all().stream().map(o -> o.key()).collect(Collectors.toSet());
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertThat(args.get(i)).startsWith("--");
            String key = args.get(i).substring(2);
            assertThat(known).as("job option %s", key).contains(key);
            m.put(key, args.get(i + 1));
        }
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryFlinkProcessOnTheReporterPort() throws Exception {
        Map<String, Object> prom = new Yaml().load(Files.readString(repo.resolve("docker/prometheus.yml")));
        List<String> targets = new ArrayList<>();
        for (Object job : (List<Object>) prom.get("scrape_configs")) {
            for (Object sc : (List<Object>) ((Map<String, Object>) job).get("static_configs")) {
                targets.addAll((List<String>) ((Map<String, Object>) sc).get("targets"));
            }
        }
        List<String> expected = FLINK_SERVICES.stream()
                .map(f -> f + ":" + flinkProperties(f).get("metrics.reporter.prom.port")).toList();
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(String.valueOf(service("prometheus").get("volumes"))).contains("./prometheus.yml:");
    }

    @Test
    void theDashboardShowsOurMetricsByTheirNames() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(repo.resolve("docker/grafana/dashboards/eenet.json").toFile());
        List<String> exprs = StreamSupport.stream(dashboard.path("panels").spliterator(), false)
                .flatMap(p -> StreamSupport.stream(p.path("targets").spliterator(), false))
                .map(t -> t.path("expr").asText()).toList();
        assertThat(exprs).isNotEmpty();
        // Our metrics, as docs/streaming.md lists them, in the Prometheus reporter's naming (dots and
        // key-value groups: exit.<i>.results -> exit_results{exit="i"}).
        Set<String> documented = new HashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (`[^|]+`) \\|").matcher(Files.readString(repo.resolve("docs/streaming.md")));
        while (row.find()) {
            Matcher name = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (name.find()) {
                documented.add(name.group(1).replaceAll("\\.<[^>]+>\\.", "_"));
            }
        }
        Set<String> used = new HashSet<>();
        Matcher m = Pattern.compile("flink_taskmanager_job_task_operator_(\\w+)").matcher(String.join("\n", exprs));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(documented).as("metrics in docs/streaming.md").containsAll(used);
        assertThat(used).as("operator metrics on the dashboard").contains("exit_results", "averageCost", "latencyMs",
                "exit_threshold", "resolvedRatio", "reason_deadLetters");
        assertThat(String.join("\n", exprs)).as("backpressure panels")
                .contains("flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                        "flink_taskmanager_job_task_busyTimeMsPerSecond");
        Map<String, Object> ds = new Yaml().load(Files.readString(repo.resolve(
                "docker/grafana/provisioning/datasources/prometheus.yaml")));
        assertThat(String.valueOf(ds)).contains("http://prometheus:9090", "uid=prometheus");
        assertThat(String.valueOf(service("grafana").get("volumes"))).contains("./grafana/dashboards:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesManifestHasTwoTaskManagerKindsOnThePinnedImage() throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml().loadAll(Files.readString(repo.resolve("k8s/flink-deployment.yaml")))) {
            docs.add((Map<String, Object>) d);
        }
        Map<String, Object> fd = docs.stream().filter(d -> "FlinkDeployment".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(fd.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        Map<String, Object> spec = (Map<String, Object>) fd.get("spec");
        String[] v = EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.get("flinkVersion")).isEqualTo("v" + v[0] + "_" + v[1]);
        assertThat(spec.get("mode")).isEqualTo("standalone");
        Map<String, Object> conf = (Map<String, Object>) spec.get("flinkConfiguration");
        assertThat(conf).containsEntry("taskmanager.resource-id", StandaloneCluster.TM_EARLY)
                .containsEntry("classloader.parent-first-patterns.additional", String.join(";", ClusterSpec.NATIVE_PACKAGES));
        Map<String, Object> job = (Map<String, Object>) spec.get("job");
        assertThat(job.get("entryClass")).isEqualTo(EarlyExitJob.class.getName());
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(String.valueOf(job.get("jarURI"))).isEqualTo("local:///opt/flink/usrlib/eenet-job.jar");
        assertThat(Files.readString(repo.resolve("docker/Dockerfile"))).contains("/opt/flink/usrlib/eenet-job.jar");
        Map<String, String> args = jobOptions(((List<Object>) job.get("args")).stream().map(String::valueOf).toList());
        assertThat(args).containsEntry(StreamJobOptions.MODEL_STORE.key(), "/models")
                .containsEntry(StreamJobOptions.RESOURCE_PROFILES.key(), "true");
        assertThat(conf.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))))
                .as("the early TaskManagers' resources").containsAllEntriesOf(StandaloneCluster.taskManagerResources(
                        StandaloneCluster.TM_EARLY, Integer.parseInt(String.valueOf(conf.get("taskmanager.numberOfTaskSlots")))).toMap());

        Map<String, Object> heavy = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) heavy.get("spec"))
                .get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo(spec.get("image"));
        List<String> tmArgs = ((List<Object>) container.get("args")).stream().map(String::valueOf).toList();
        assertThat(tmArgs).contains("taskmanager", "-Dtaskmanager.resource-id=" + StandaloneCluster.TM_HEAVY,
                "-Djobmanager.rpc.address=" + ((Map<String, Object>) fd.get("metadata")).get("name") + "."
                        + ((Map<String, Object>) fd.get("metadata")).get("namespace") + ".svc",
                "-Dclassloader.parent-first-patterns.additional=" + String.join(";", ClusterSpec.NATIVE_PACKAGES));
        int heavySlots = Integer.parseInt(tmArgs.stream().filter(a -> a.startsWith("-Dtaskmanager.numberOfTaskSlots="))
                .findFirst().orElseThrow().split("=")[1]);
        StandaloneCluster.taskManagerResources(StandaloneCluster.TM_HEAVY, heavySlots).toMap()
                .forEach((k, val) -> assertThat(tmArgs).as("the heavy TaskManagers' resources").contains("-D" + k + "=" + val));
        // Both TaskManager kinds mount the model store at the path the job reads.
        Set<String> claims = docs.stream().filter(d -> "PersistentVolumeClaim".equals(d.get("kind")))
                .map(d -> String.valueOf(((Map<String, Object>) d.get("metadata")).get("name"))).collect(Collectors.toSet());
        assertThat(String.valueOf(pod.get("volumes"))).contains("claimName=eenet-models");
        assertThat(String.valueOf(spec.get("podTemplate"))).contains("mountPath=/models", "claimName=eenet-models");
        assertThat(claims).contains("eenet-models", "eenet-flink-data");
    }
}
