package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.local.LocalKafka;
import io.eenet.stream.format.FrameResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker stopped (a clean shutdown) and started again (same ports, same data) while events flow: events are sent before,
 * during (the test's producer buffers and retries them until the broker is back) and after the outage, and
 * every one of them has exactly one result in the committed output; a record the producer's retries wrote twice
 * into the input (it happens across the restart) is, as any repeated event, a duplicate-event dead letter. The broker is {@link LocalKafka} (a child
 * JVM), so it can really go away and come back; the job runs on a MiniCluster in this JVM with a fixed-delay
 * restart strategy. A killed TaskManager is {@link StreamJobIT}'s case; a stop with a savepoint and a restart
 * while events flow is {@link StandaloneClusterIT}'s.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(new Configuration()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path tmp;

    /** Events per second the test sends; 600 events take 30 s, the broker is down in the middle of them. */
    private static final int RATE = 20;

    @Test
    void aBrokerRestartLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        long t0 = System.nanoTime();
        try (LocalKafka broker = LocalKafka.start(tmp.resolve("kafka"), 0, System.out)) {
            KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
            StreamScenarios scenarios = new StreamScenarios(kafka, tmp);
            StreamScenarios.Run run = scenarios.newRun("restart");
            List<ProducerRecord<byte[], byte[]>> events = scenarios.goodEvents(run.input(), 0, StreamScenarios.EVENTS);
            List<String> sendFailures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sent = new AtomicInteger();
            JobClient job = scenarios.start(run, 30, Duration.ofSeconds(2));
            Thread sender = null;
            try (KafkaProducer<byte[], byte[]> producer = patientProducer(broker.bootstrapServers())) {
                sender = new Thread(() -> {
                    for (ProducerRecord<byte[], byte[]> r : events) {
                        producer.send(r, (meta, e) -> {
                            if (e != null) {
                                sendFailures.add(e.toString());
                            }
                        });
                        sent.incrementAndGet();
                        try {
                            Thread.sleep(1000 / RATE);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "restart-it-sender");
                sender.start();

                // Results are committed: the job has checkpointed. Then the broker goes away with events in flight.
                kafka.awaitNewRecords(run.results(), run.deadLetters(), 0, Duration.ofMinutes(2));
                int before = sent.get();
                // A clean shutdown (SIGTERM). With an idempotent producer the test's own input failed now and then
                // (after a SIGKILL once in two runs, after a SIGTERM once in a fresh-clone CI run on 2026-12-07):
                // after the restart this single, unreplicated broker answered its retries with
                // OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout. The job was not at fault, the input was;
                // the input producer is therefore not idempotent (see patientProducer).
                broker.stop(false);
                Thread.sleep(8_000);
                int duringOutage = sent.get() - before;
                broker.startAgain();
                long restartedAt = System.nanoTime();
                sender.join(Duration.ofMinutes(2).toMillis());
                producer.flush();
                int after = StreamScenarios.EVENTS - before - duringOutage;
                System.out.printf("broker-restart: %d events handed to the producer before the broker was stopped, %d"
                        + " while it was down (8 s; send() may block while the broker is away), %d after it was"
                        + " back%n", before, duringOutage, after);
                assertThat(sendFailures).as("sends the producer gave up on").isEmpty();
                assertThat(before).as("events before the outage").isPositive();
                assertThat(duringOutage).as("events sent during the outage").isPositive();
                assertThat(after).as("events after the outage").isPositive();

                // The input as the broker kept it: a retry of the test's producer across the restart can have
                // written an event twice (seen once in CI on 2026-12-07: e42, sent during the outage). Each extra
                // copy must be a duplicate-event dead letter, and nothing else may be one.
                Map<String, Long> copies = new java.util.HashMap<>();
                io.eenet.stream.format.EventCodec codec = new io.eenet.stream.format.EventCodec();
                for (var r : kafka.readAll(run.input())) {
                    copies.merge(codec.decode(r.key(), r.value()).eventId(), 1L, Long::sum);
                }
                long extraCopies = copies.values().stream().mapToLong(n -> n - 1).sum();
                System.out.printf("broker-restart: the input topic holds %d records, %d of them extra copies%n",
                        copies.values().stream().mapToLong(Long::longValue).sum(), extraCopies);
                StreamScenarios.Outputs out = scenarios.awaitOutputs(run, StreamScenarios.EVENTS + (int) extraCopies);
                Map<String, Long> outcomesPerEvent = new java.util.HashMap<>();
                out.results().forEach(r -> outcomesPerEvent.merge(r.eventId(), 1L, Long::sum));
                out.deadLetters().forEach(d -> outcomesPerEvent.merge(String.valueOf(d.eventId()), 1L, Long::sum));
                long duplicated = outcomesPerEvent.values().stream().filter(n -> n > 1).count();
                System.out.printf("broker-restart: %d events sent, %d results + %d dead letters committed, %d distinct"
                        + " events, %d with more than one outcome; last outcome %.1f s after the broker was back,"
                        + " %.1f s in all%n", StreamScenarios.EVENTS, out.results().size(), out.deadLetters().size(),
                        outcomesPerEvent.size(), duplicated, (System.nanoTime() - restartedAt) / 1e9,
                        (System.nanoTime() - t0) / 1e9);
                // Either is fine: the sink may ride out a short outage, or the job restart from its last checkpoint.
                long restarted = cluster.getExecutionGraph(job.getJobID()).get()
                        .getStatusTimestamp(JobStatus.RESTARTING);
                System.out.printf("broker-restart: the job %s%n", restarted > 0
                        ? "restarted (from its last checkpoint) during the outage" : "rode out the outage without a restart");
                assertThat(out.deadLetters()).as("dead letters").hasSize((int) extraCopies).allSatisfy(d -> {
                    assertThat(d.reason()).isEqualTo("duplicate-event");
                    assertThat(copies.get(d.eventId())).as("copies of %s in the input", d.eventId()).isGreaterThan(1);
                });
                assertThat(out.results()).extracting(FrameResult::eventId).doesNotHaveDuplicates();
                Map<String, FrameResult> byId = out.results().stream()
                        .collect(Collectors.toMap(FrameResult::eventId, Function.identity()));
                for (int i = 0; i < StreamScenarios.EVENTS; i++) {
                    assertThat(byId).as("outcome of e%d", i).containsKey("e" + i);
                }
                scenarios.assertMatchesOffline(out.results());
            } finally {
                if (sender != null) {
                    sender.interrupt();
                }
                job.cancel().get();
            }
        }
    }

    /**
     * acks=all, retrying for up to 2 minutes, one request in flight (order kept): what the broker does not take now,
     * it takes later. Not idempotent: a retry may write an event twice, which the test counts in the input and
     * expects as a duplicate-event dead letter, whereas the idempotent producer's sequence numbers could be refused
     * by the restarted single broker until the delivery timeout.
     */
    private static KafkaProducer<byte[], byte[]> patientProducer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
