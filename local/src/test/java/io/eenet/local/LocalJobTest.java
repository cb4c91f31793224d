package io.eenet.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.jobs.StreamJobOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class LocalJobTest {

    @Test
    void oneSlotPerEarlyExitAndPerHeavySubtask() {
        Configuration conf = new Configuration();
        assertThat(LocalJob.slots(conf)).as("the job's parallelism 1 for both operators").isEqualTo(2);

        conf.set(StreamJobOptions.EARLY_PARALLELISM, 2);
        assertThat(LocalJob.slots(conf)).as("early.parallelism=2").isEqualTo(3);

        conf.set(StreamJobOptions.HEAVY_PARALLELISM, 3);
        assertThat(LocalJob.slots(conf)).as("early.parallelism=2, heavy.parallelism=3").isEqualTo(5);
    }
}
