package io.eenet.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The early-exit streaming job's main, for {@code flink run -c io.eenet.jobs.EarlyExitJob eenet-job.jar
 * --option value ...} on any Flink cluster; {@code --help} lists the options ({@link StreamJobOptions}).
 */
public final class EarlyExitJob {

    public static final String NAME = "eenet early-exit classification";

    private EarlyExitJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: flink run -c " + EarlyExitJob.class.getName()
                    + " eenet-job.jar [--option value ...]\n\noptions:\n" + StreamJobOptions.help());
            return;
        }
        Configuration conf;
        try {
            conf = StreamJobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("eenet job: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EarlyExitPipeline.build(env, conf);
        env.execute(NAME);
    }
}
