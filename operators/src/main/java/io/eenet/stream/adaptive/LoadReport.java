package io.eenet.stream.adaptive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What one heavy subtask tells the early-exit operators about its load, on the control topic (JSON, key = the
 * subtask index).
 *
 * @param subtask the heavy subtask
 * @param timeMs when the report was made (the reporter's clock; readers judge freshness by their own)
 * @param delayMs how long unresolved events waited in front of the heavy operator: the 90th percentile of the
 *     waits of the events whose batch started since the last report, or the age of the oldest event of the
 *     batch running now, whichever is larger; 0 when idle
 * @param events events whose batch started since the last report
 */
public record LoadReport(int subtask, long timeMs, double delayMs, long events) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IOException if the bytes are not a report */
    public static LoadReport fromJson(byte[] bytes) throws IOException {
        return JSON.readValue(bytes, LoadReport.class);
    }
}
