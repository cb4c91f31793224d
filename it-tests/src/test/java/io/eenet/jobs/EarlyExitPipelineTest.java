package io.eenet.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.local.tools.Frames;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.RawEvent;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's real topology on a MiniCluster between bounded ends (no broker): a list of frames in, the results and
 * dead letters collected. The model is a small EENet after one training step on synthetic images (hermetic: no
 * dataset, no network), published to a store in a temporary directory.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EarlyExitPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** The store name of the model: what one-step training names it. */
    static final String MODEL = "pipeline-test-timing";
    static final int GOOD = 40;

    @TempDir
    static Path tmp;

    static ImageDataset images;

    @BeforeAll
    static void publishModel() throws Exception {
        Random random = new Random(7);
        int n = 64;
        byte[] pixels = new byte[n * 28 * 28];
        random.nextBytes(pixels);
        int[] labels = random.ints(n, 0, 10).toArray();
        images = ImageDataset.of("synthetic", 28, 28, 1, pixels, labels);
        TrainConfig config = TrainConfig.builder().name("pipeline-test").depth(14).baseWidth(8).stemExit(false)
                .placement(ExitPlacement.LINEAR).exitPoolGrid(2).warmupEpochs(0).learningRate(1e-3f).lrStepEpochs(0)
                .lrGamma(0.5f).batchSize(32).epochs(1).seed(7).trainLimit(64).validationSize(0).costBudget(0).build()
                .forTiming(false);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        TrainedModel trained = new Trainer(config, new ProgressLine(quiet, false)).train(images, null, false,
                new float[] {0.5f}, new float[] {0.3f});
        Path pkg = tmp.resolve("package");
        PackageExporter.export(trained, pkg, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[] {0.5f}, new float[] {0.3f}, Map.of());
        ModelStores.open(tmp.resolve("store")).publish(pkg, true);
    }

    @Test
    void theTopologyHasItsOperatorsUnderTheirUids() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EarlyExitPipeline.build(env, conf("0"), new ListEnds("uids", List.of()));

        Set<String> uids = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getTransformationUID)
                .filter(u -> u != null).collect(Collectors.toSet());

        assertThat(uids).contains(EarlyExitPipeline.SOURCE_UID, EarlyExitPipeline.READ_UID,
                EarlyExitPipeline.EARLY_UID, EarlyExitPipeline.HEAVY_UID, EarlyExitPipeline.RESULTS_SINK_UID,
                EarlyExitPipeline.HEAVY_RESULTS_SINK_UID, EarlyExitPipeline.DEAD_LETTER_SINK_UID);
    }

    @Test
    void eachPathsResultsSinkIsFedStraightFromItsOperatorSoTheyChain() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EarlyExitPipeline.build(env, conf("0"), new ListEnds("chain", List.of()));
        StreamGraph graph = env.getStreamGraph();

        for (String[] pair : new String[][] {{EarlyExitPipeline.RESULTS_SINK_UID, EarlyExitPipeline.EARLY_UID},
                {EarlyExitPipeline.HEAVY_RESULTS_SINK_UID, EarlyExitPipeline.HEAVY_UID}}) {
            StreamNode sink = node(graph, pair[0]);
            StreamNode operator = node(graph, pair[1]);
            assertThat(sink.getInEdges()).as("inputs of %s", pair[0]).singleElement().satisfies(edge -> {
                assertThat(edge.getSourceId()).isEqualTo(operator.getId());
                assertThat(edge.getPartitioner()).as("partitioning into %s", pair[0])
                        .isInstanceOf(ForwardPartitioner.class);
            });
            assertThat(sink.getParallelism()).isEqualTo(operator.getParallelism());
            assertThat(sink.getSlotSharingGroup()).isEqualTo(operator.getSlotSharingGroup());
        }
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst()
                .orElseThrow(() -> new AssertionError("no operator with uid " + uid));
    }

    @Test
    void atThresholdZeroEveryGoodFrameExitsEarlyAndEveryBadOneIsItsOwnDeadLetter() throws Exception {
        ListEnds ends = run("early", "0");

        assertThat(ends.results()).as("results; dead letters: %s", ends.deadLetters()).hasSize(GOOD).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(FrameResult.PATH_EARLY);
            assertThat(r.exit()).isZero();
            assertThat(r.modelName()).isEqualTo(MODEL);
        });
        assertThat(ends.results()).extracting(FrameResult::eventId).doesNotHaveDuplicates();
        assertThat(ends.deadLetters()).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("duplicate-event", "not-an-event", "undecodable-image");
    }

    @Test
    void atThresholdOneEveryGoodFrameGoesOnToTheHeavyOperatorAndEndsAtTheLastExit() throws Exception {
        ListEnds ends = run("heavy", "1");

        assertThat(ends.results()).hasSize(GOOD).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(FrameResult.PATH_HEAVY);
            assertThat(r.exit()).isEqualTo(2);
        });
        assertThat(ends.deadLetters()).hasSize(3);
    }

    /** The good frames, a copy of one of them, a value that is no event and a PNG cut short, through the job. */
    private ListEnds run(String name, String threshold) throws Exception {
        List<RawEvent> frames = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            var record = Frames.record("frames", Frames.event(images, i % images.size(), "cam-" + (i % 3), "e" + i,
                    i / 3, 1_700_000_000_000L + i));
            frames.add(new RawEvent(record.key(), record.value(), "frames", 0, i, 0));
        }
        frames.add(new RawEvent(frames.get(5).key(), frames.get(5).value(), "frames", 0, GOOD, 0)); // e5 again
        frames.add(new RawEvent(EventCodec.encodeKey("cam-0"), new byte[] {1, 2, 3}, "frames", 0, GOOD + 1, 0));
        byte[] png = Frames.png(images, 0);
        byte[] cut = EventCodec.encode(new io.eenet.stream.format.FrameEvent("cam-1", "cut", 99, 0,
                io.eenet.stream.format.FrameEvent.PNG, new int[0], java.util.Arrays.copyOf(png, png.length / 2),
                null));
        frames.add(new RawEvent(EventCodec.encodeKey("cam-1"), cut, "frames", 0, GOOD + 2, 0));

        ListEnds ends = new ListEnds(name, frames);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // the sinks' (the operators' come from the options): 2 early + 1 heavy slots in all
        EarlyExitPipeline.build(env, conf(threshold), ends);
        env.execute("pipeline test " + name); // bounded: ends when every frame has its outcome
        return ends;
    }

    private static Configuration conf(String threshold) {
        return StreamJobOptions.parse(new String[] {"--model.store", tmp.resolve("store").toString(),
            "--model.name", MODEL, "--model.thresholds", threshold + ";" + threshold, "--checkpoint.interval", "1 h",
            "--early.parallelism", "2", "--heavy.parallelism", "1"});
    }

    /** Bounded ends: the frames given, outcomes into lists (static: the sinks run in the MiniCluster's threads). */
    static final class ListEnds implements EarlyExitPipeline.Ends {

        static final Map<String, Queue<Object>> OUTPUTS = new ConcurrentHashMap<>();

        private final String name;
        private final List<RawEvent> frames;

        ListEnds(String name, List<RawEvent> frames) {
            this.name = name;
            this.frames = frames;
            OUTPUTS.put(name + "/results", new ConcurrentLinkedQueue<>());
            OUTPUTS.put(name + "/dead-letters", new ConcurrentLinkedQueue<>());
        }

        @Override
        public SingleOutputStreamOperator<RawEvent> frames(StreamExecutionEnvironment env) {
            return frames.isEmpty() ? env.fromData(TypeInformation.of(RawEvent.class),
                    new RawEvent(new byte[0], new byte[0], "none", 0, 0, 0)) : env.fromData(frames);
        }

        @Override
        public DataStreamSink<FrameResult> results(DataStream<FrameResult> results, String path) {
            return results.sinkTo(new ListSink<>(name + "/results")).name("results (" + path + ")");
        }

        @Override
        public DataStreamSink<DeadLetter> deadLetters(DataStream<DeadLetter> deadLetters) {
            return deadLetters.sinkTo(new ListSink<>(name + "/dead-letters")).name("dead letters");
        }

        @SuppressWarnings("unchecked")
        List<FrameResult> results() {
            return new ArrayList<>((Queue<FrameResult>) (Queue<?>) OUTPUTS.get(name + "/results"));
        }

        @SuppressWarnings("unchecked")
        List<DeadLetter> deadLetters() {
            return new ArrayList<>((Queue<DeadLetter>) (Queue<?>) OUTPUTS.get(name + "/dead-letters"));
        }
    }

    /** Adds every element to {@link ListEnds#OUTPUTS}{@code [key]}. */
    record ListSink<T>(String key) implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context c) {
                    ListEnds.OUTPUTS.get(key).add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
