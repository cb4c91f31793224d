package io.eenet.cli.stream;

import io.eenet.cli.ModelStoreOption;
import io.eenet.local.sql.SqlScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./eenet sql [-f FILE]}: runs a Flink SQL script on a local Flink (a MiniCluster in this JVM, as the demo
 * runs the DataStream job), by default the shipped example that reads the frames topic and writes early-exit
 * tags to a topic through the {@code eenet} model provider. See docs/sql.md.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Flink SQL script on a local Flink (default: the shipped example, frames topic in, tags"
                + " topic out, through the 'eenet' model provider). Runs until its queries end or Ctrl-C. The options"
                + " fill the script's variables: --bootstrap-servers $${bootstrap_servers}, --store $${store}, the"
                + " others as each says.")
public final class SqlCommand implements Callable<Integer> {

    @Option(names = {"-f", "--file"}, description = "The SQL script (default: the shipped example, docs/sql.md).")
    Path file;

    /** Kafka, as \${bootstrap_servers}. */
    @Mixin
    BootstrapServers kafkaServers = new BootstrapServers();

    /** The model store, as \${store}. */
    @Mixin
    ModelStoreOption store = new ModelStoreOption();

    @Option(names = "--model", defaultValue = "mnist-eenet", description = "Model name, as $${model}. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--input-topic", defaultValue = "frames", description = "As $${input_topic}. Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--output-topic", defaultValue = "frame-tags", description = "As $${output_topic}. Default: ${DEFAULT-VALUE}.")
    String outputTopic;

    @Option(names = "--group-id", defaultValue = "eenet-sql", description = "Consumer group, as $${group_id}. Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--checkpoint-interval", defaultValue = "2 s",
            description = "As $${checkpoint_interval}. Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "1", description = "The query's parallelism, as $${parallelism}"
            + " (each subtask reads its share of the input partitions and runs the model on threads of its own)."
            + " Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Any other $${NAME} of the script.")
    Map<String, String> vars = new LinkedHashMap<>();

    /** Kafka client settings (TLS, SASL) for the script's Kafka tables, as \${kafka_properties}. */
    @Mixin
    KafkaClientOptions kafkaClient = new KafkaClientOptions();

    @Override
    public Integer call() throws Exception {
        String text = file != null ? Files.readString(file) : SqlScript.example();
        SqlScript script = SqlScript.of(text, variables());
        System.err.printf("sql: %d statements from %s; Flink runs locally in this JVM%n", script.statements().size(),
                file != null ? file : "the example script (" + SqlScript.EXAMPLE + ")");
        List<JobClient> jobs = SqlScript.submit(script);
        if (jobs.isEmpty()) {
            return 0;
        }
        for (JobClient job : jobs) {
            System.err.printf("sql: job %s running (Ctrl-C stops it)%n", job.getJobID());
        }
        for (JobClient job : jobs) {
            job.getJobExecutionResult().get();
            System.err.printf("sql: job %s finished%n", job.getJobID());
        }
        return 0;
    }

    /** The script's variables: the options', then the {@code --var}s on top. */
    Map<String, String> variables() throws IOException {
        Map<String, String> v = SqlScript.variables(kafkaServers.bootstrapServers, store.root(), model, inputTopic,
                outputTopic, groupId, checkpointInterval);
        v.put(SqlScript.KAFKA_PROPERTIES, SqlScript.tableProperties(kafkaClient.settings()));
        v.put(SqlScript.PARALLELISM, String.valueOf(parallelism));
        v.putAll(vars);
        return v;
    }
}
