package io.eenet.cli.stream;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The job's settings of every command that runs the job (demo, and the benchmarks of the job): any option of the
 * job, and its checkpoint interval (a picocli mixin).
 */
public final class JobSettings {

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = FlinkDuration.class,
            description = "The job's checkpoint interval, as Flink writes durations (1s, 500ms; a bare number is"
                    + " milliseconds): exactly-once results become visible at each. Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    @Option(names = "--job-option", paramLabel = "NAME=VALUE",
            description = "Any option of the job (see ./eenet job --help), e.g. --job-option early.parallelism=2;"
                    + " a benchmark sets it for every job it runs.")
    Map<String, String> options = new LinkedHashMap<>();

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** The checkpoint interval as a value of the job's option {@code execution.checkpointing.interval}. */
    public String checkpointIntervalOption() {
        return checkpointInterval.toMillis() + " ms";
    }

    /** The {@code --job-option}s, in the order given. */
    public Map<String, String> options() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Flink's duration syntax, as the job's own options take it. */
    static final class FlinkDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return TimeUtils.parseDuration(value);
        }
    }
}
