package io.eenet.cli.stream;

import static io.eenet.cli.CommandLines.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.model.store.ModelStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's options to the script's variables; the script itself runs from {@code ./eenet sql}, not in tests. */
class SqlCommandTest {

    private static Map<String, String> variables(String... args) throws Exception {
        return parsed(new SqlCommand(), args).variables();
    }

    @Test
    void defaultsAreTheLocalClusterAndTheDefaultStore() throws Exception {
        assertThat(variables())
                .containsEntry("bootstrap_servers", "localhost:9092")
                .containsEntry("store", ModelStores.defaultLocation().toAbsolutePath().normalize().toString())
                .containsEntry("model", "mnist-eenet")
                .containsEntry("input_topic", "frames")
                .containsEntry("output_topic", "frame-tags")
                .containsEntry("parallelism", "1")
                .containsEntry("kafka_properties", "");
    }

    @Test
    void optionsFillTheirVariablesAndVarsWinOverThem(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Map<String, String> v = variables("--bootstrap-servers", "broker:9093", "--store", tmp.toString(), "--model",
                "m", "--parallelism", "2", "--kafka-property", "security.protocol=SSL", "--var", "group_id=g",
                "--var", "extra=x");
        assertThat(v)
                .containsEntry("bootstrap_servers", "broker:9093")
                .containsEntry("store", tmp.toAbsolutePath().normalize().toString())
                .containsEntry("model", "m")
                .containsEntry("parallelism", "2")
                .containsEntry("kafka_properties", "'properties.security.protocol' = 'SSL',")
                .containsEntry("group_id", "g")
                .containsEntry("extra", "x");
    }

    @Test
    void theHelpNamesTheVariableEachOptionFills() {
        String help = new CommandLine(new SqlCommand()).setUsageHelpWidth(400).getUsageMessage();
        assertThat(help).contains("--bootstrap-servers ${bootstrap_servers}", "--store ${store}", "as ${model}",
                "As ${input_topic}", "Any other ${NAME}").doesNotContain("null");
    }
}
