package io.eenet.local.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variables and statement splitting, and the shipped example with the variables the command sets. */
class SqlScriptTest {

    @Test
    void splitsAtSemicolonsThatEndStatementsOnly() {
        String script = """
                -- a comment; with a semicolon
                SET 'a' = 'x;y';
                CREATE TABLE `we;ird` (c STRING) WITH ('k' = 'it''s; fine');

                INSERT INTO t SELECT 1""";
        assertThat(SqlScript.of(script, Map.of()).statements()).containsExactly("SET 'a' = 'x;y'",
                "CREATE TABLE `we;ird` (c STRING) WITH ('k' = 'it''s; fine')", "INSERT INTO t SELECT 1");
        assertThatThrownBy(() -> SqlScript.of("SELECT 'open;", Map.of())).hasMessageContaining("inside a quoted");
    }

    @Test
    void replacesVariablesAndNamesTheMissingOnes() {
        assertThat(SqlScript.of("SELECT '${a}', '${b.c}'", Map.of("a", "1", "b.c", "$2")).statements())
                .containsExactly("SELECT '1', '$2'");
        assertThatThrownBy(() -> SqlScript.of("SELECT '${a}', '${z}', '${y}'", Map.of("a", "1")))
                .hasMessageContaining("[y, z]").hasMessageContaining("--var");
    }

    @Test
    void setStatementsSetTheEnvironmentsConfiguration() {
        org.apache.flink.table.api.TableEnvironment env = org.apache.flink.table.api.TableEnvironment.create(
                org.apache.flink.table.api.EnvironmentSettings.inStreamingMode());
        SqlScript.of("SET 'pipeline.name' = 'it''s mine'; set 'parallelism.default'='3'", Map.of()).run(env);
        assertThat(env.getConfig().get(org.apache.flink.configuration.PipelineOptions.NAME)).isEqualTo("it's mine");
        assertThat(env.getConfig().get(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(3);
    }

    @Test
    void theExampleNeedsOnlyWhatTheCommandSets() {
        SqlScript s = SqlScript.of(SqlScript.example(), SqlScript.variables("kafka:9092", Path.of("/models"),
                "mnist-eenet", "frames", "frame-tags", "g", "2 s"));
        assertThat(s.statements()).hasSize(6);
        assertThat(s.statements().get(3)).startsWith("CREATE MODEL frame_tagger").contains("'provider' = 'eenet'",
                "'model' = 'mnist-eenet'", "'store' = '/models'");
        assertThat(s.statements().get(5)).startsWith("INSERT INTO tags").contains("ML_PREDICT(TABLE frames");
        assertThat(String.join("\n", s.statements())).doesNotContain("${").contains("'kafka:9092'");
    }

    @Test
    void kafkaClientSettingsReachBothKafkaTablesAsConnectorProperties() {
        java.util.Properties client = new java.util.Properties();
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username='u' password='p';");
        Map<String, String> variables = SqlScript.variables("kafka:9092", Path.of("/models"), "mnist-eenet", "frames",
                "frame-tags", "g", "2 s");
        variables.put(SqlScript.KAFKA_PROPERTIES, SqlScript.tableProperties(client));

        SqlScript s = SqlScript.of(SqlScript.example(), variables);

        String jaas = "'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=''u'' password=''p'';'";
        assertThat(s.statements().get(2)).startsWith("CREATE TABLE frames")
                .contains("'properties.security.protocol' = 'SASL_SSL'", jaas);
        assertThat(s.statements().get(4)).startsWith("CREATE TABLE tags")
                .contains("'properties.security.protocol' = 'SASL_SSL'", jaas);
        // Flink reads them as the Kafka connector's options: planning a read of the table builds its source.
        org.apache.flink.table.api.TableEnvironment env = org.apache.flink.table.api.TableEnvironment.create(
                org.apache.flink.table.api.EnvironmentSettings.inStreamingMode());
        env.executeSql(s.statements().get(2));
        assertThat(env.explainSql("SELECT stream_id FROM frames")).contains("frames");
    }

    @Test
    void noKafkaClientSettingsLeaveTheTablesAsTheyWere() {
        assertThat(SqlScript.tableProperties(new java.util.Properties())).isEmpty();
    }
}
