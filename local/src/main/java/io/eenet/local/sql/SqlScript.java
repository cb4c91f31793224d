package io.eenet.local.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * A SQL script as {@code ./eenet sql} runs it: {@code ${name}} variables replaced, split into statements at the
 * semicolons that end them (not those inside quotes or comments), each run in order on a table environment.
 */
public final class SqlScript {

    /** The shipped example: the demo's frames topic in, a tags topic out (docs/sql.md). */
    public static final String EXAMPLE = "frame-tags.sql";

    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'((?:[^']|'')*)'");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-zA-Z0-9_.-]+)}");

    private final List<String> statements;

    private SqlScript(List<String> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * The script with its variables replaced.
     *
     * @throws IllegalArgumentException naming the variables the script uses and {@code variables} lacks
     */
    public static SqlScript of(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format("the script uses %s but only %s are set; set them with"
                    + " --var NAME=VALUE", missing, new TreeSet<>(variables.keySet())));
        }
        return new SqlScript(split(sb.toString()));
    }

    /** The shipped example script's text. */
    public static String example() {
        try (InputStream in = SqlScript.class.getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("the example script %s is not on the classpath".formatted(EXAMPLE));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> statements() {
        return statements;
    }

    /**
     * Runs every statement in order; returns the jobs the statements started (INSERTs), running.
     * {@code SET 'key' = 'value'}, which only Flink's SQL client knows, sets the key in the environment's
     * configuration, for the statements after it.
     */
    public List<JobClient> run(TableEnvironment env) {
        List<JobClient> jobs = new ArrayList<>();
        for (String s : statements) {
            Matcher set = SET.matcher(s);
            if (set.matches()) {
                env.getConfig().set(set.group(1), set.group(2).replace("''", "'"));
            } else {
                env.executeSql(s).getJobClient().ifPresent(jobs::add);
            }
        }
        return jobs;
    }

    /** Statements without their ending semicolons; {@code --} line comments and blank statements dropped. */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean backticked = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (!quoted && !backticked && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                cur.append('\n');
                continue;
            }
            if (c == '\'' && !backticked) {
                quoted = !quoted; // '' inside a literal toggles twice: still quoted
            } else if (c == '`' && !quoted) {
                backticked = !backticked;
            }
            if (c == ';' && !quoted && !backticked) {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        if (quoted || backticked) {
            throw new IllegalArgumentException("the script ends inside a quoted string or identifier");
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }

    /**
     * The variable that the example script puts in each Kafka table's {@code WITH} list: the user's Kafka client
     * settings as the connector's {@code 'properties.*'} options ({@link #tableProperties}); empty by default.
     */
    public static final String KAFKA_PROPERTIES = "kafka_properties";

    /** The variable of the example script's parallelism: 1 unless set. */
    public static final String PARALLELISM = "parallelism";

    /**
     * Kafka client settings as options of Flink's Kafka SQL connector: {@code 'properties.<key>' = '<value>',} one
     * per line, each ending with a comma, so that {@code ${kafka_properties}} can stand on a line of its own inside a
     * {@code WITH} list before its last option. Empty for no settings.
     */
    public static String tableProperties(Properties client) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(client).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "\n  ")
                .append(String.format("'properties.%s' = '%s',", k.toString().replace("'", "''"),
                        v.toString().replace("'", "''"))));
        return sb.toString();
    }

    /** The variables the example script uses ({@link #KAFKA_PROPERTIES} empty, {@link #PARALLELISM} 1). */
    public static Map<String, String> variables(String bootstrapServers, Path store, String model, String inputTopic,
            String outputTopic, String groupId, String checkpointInterval) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bootstrap_servers", bootstrapServers);
        v.put("store", store.toString());
        v.put("model", model);
        v.put("input_topic", inputTopic);
        v.put("output_topic", outputTopic);
        v.put("group_id", groupId);
        v.put("checkpoint_interval", checkpointInterval);
        v.put(KAFKA_PROPERTIES, "");
        v.put(PARALLELISM, "1");
        return v;
    }

    /**
     * Runs the script on a new local streaming table environment; returns the jobs its statements started (the
     * INSERTs'), running.
     */
    public static List<JobClient> submit(SqlScript script) {
        return submit(script, new Configuration());
    }

    /**
     * Runs the script's statements in a new streaming table environment with {@code settings} (e.g. where its jobs
     * go: {@code LocalCluster#remoteClientSettings}; empty: a local cluster of their own).
     */
    public static List<JobClient> submit(SqlScript script, Configuration settings) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
                .withConfiguration(settings).build());
        return script.run(env);
    }
}
