package io.eenet.bench.report;

import java.io.IOException;
import java.io.PrintWriter;

/** What a benchmark run measured, printed for people or as one JSON object. */
public interface BenchReport {

    /** The report as tables for people. */
    void print(PrintWriter out);

    /** The report as one JSON object. */
    String toJson() throws IOException;

    /** Writes the report to {@code out}: as JSON when {@code json}, else for people; then flushes. */
    static void write(BenchReport report, boolean json, PrintWriter out) throws IOException {
        if (json) {
            out.println(report.toJson());
        } else {
            report.print(out);
        }
        out.flush();
    }
}
