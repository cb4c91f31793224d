package io.eenet.bench.poison;

import io.eenet.bench.stream.OutputCollector;
import io.eenet.stream.format.DeadLetter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed outcomes of one {@link PoisonBenchmark} run, read by the stream benchmarks' {@link OutputCollector}:
 * those of the good events (ids {@code <run>-<n>}) apart from those of the pills (ids {@code <run>-pill-...}, or no
 * readable id).
 */
final class Outcomes implements AutoCloseable {

    private final OutputCollector collector;
    private final String runId;
    private final String goodPrefix;
    private final String pillPrefix;

    Outcomes(String servers, String resultsTopic, String deadLetterTopic, String runId) {
        this.collector = new OutputCollector(servers, resultsTopic, deadLetterTopic);
        this.runId = runId;
        this.goodPrefix = runId + "-";
        this.pillPrefix = goodPrefix + "pill-";
    }

    /** Outcomes of good events so far, results and dead letters (counted as they arrive: cheap to call). */
    long good() {
        return collector.outcomesOfRun(runId) - collector.deadLettersWithoutId();
    }

    /** Outcomes of pills so far (a scan of every outcome read: call it once the good events are done). */
    long pills() {
        return collector.results(pillPrefix).size() + collector.deadLetters(pillPrefix).size();
    }

    long goodResults() {
        return collector.results(goodPrefix).stream().filter(s -> !s.eventId().startsWith(pillPrefix)).count();
    }

    long goodDeadLetters() {
        return collector.deadLetters(goodPrefix).stream()
                .filter(d -> d.eventId() != null && !d.eventId().startsWith(pillPrefix)).count();
    }

    /** The pills' outcomes by dead-letter reason ({@code result} for a pill that was classified). */
    Map<String, Integer> pillReasons() {
        Map<String, Integer> reasons = new TreeMap<>();
        for (DeadLetter d : collector.deadLetters(pillPrefix)) {
            reasons.merge(d.reason(), 1, Integer::sum);
        }
        int results = collector.results(pillPrefix).size();
        if (results > 0) {
            reasons.put("result", results);
        }
        return reasons;
    }

    long[] goodResultTimes() {
        return collector.results(goodPrefix).stream().filter(s -> !s.eventId().startsWith(pillPrefix))
                .mapToLong(OutputCollector.Seen::resultTimeMs).toArray();
    }

    /** The error that stopped the reader, or null. */
    Exception failure() {
        return collector.failure();
    }

    @Override
    public void close() throws InterruptedException {
        collector.close();
    }
}
