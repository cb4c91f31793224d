package io.eenet.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API (on the JobManager) that the cluster scripts and the cluster test need:
 * cluster overview, jar upload and run (optionally from a savepoint), job status, stop with a savepoint, cancel.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    public String url() {
        return base;
    }

    /** {@code GET /overview}: TaskManagers, slots, jobs. */
    public JsonNode overview() throws IOException, InterruptedException {
        return get("/overview");
    }

    /** {@code GET /jobs}: id and status of every job the cluster knows. */
    public List<JobState> jobs() throws IOException, InterruptedException {
        List<JobState> jobs = new ArrayList<>();
        for (JsonNode j : get("/jobs").path("jobs")) {
            jobs.add(new JobState(j.path("id").asText(), j.path("status").asText()));
        }
        return jobs;
    }

    public record JobState(String id, String status) {
        public boolean terminal() {
            return List.of("FINISHED", "CANCELED", "FAILED", "SUSPENDED").contains(status);
        }
    }

    /** {@code GET /jobs/:id}: the job's status ({@code RUNNING}, {@code FINISHED}, ...). */
    public String jobStatus(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** {@code GET /jobs/:id}: the job's details (vertices with their names, parallelism and status). */
    public JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId);
    }

    /** {@code GET /taskmanagers}: each TaskManager with its id, slots and memory configuration. */
    public JsonNode taskManagers() throws IOException, InterruptedException {
        return get("/taskmanagers").path("taskmanagers");
    }

    /** {@code GET /jobs/:id/vertices/:vid}: a vertex's subtasks, each with its {@code taskmanager-id}. */
    public JsonNode vertex(String jobId, String vertexId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/vertices/" + vertexId);
    }

    /** {@code GET /jobs/:id/vertices/:vid/taskmanagers}: where a vertex's subtasks run. */
    public JsonNode vertexTaskManagers(String jobId, String vertexId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/taskmanagers");
    }

    /** {@code POST /jars/upload}: uploads a job jar; returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "eenet-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        String filename = send(request).path("filename").asText();
        if (filename.isEmpty()) {
            throw new IOException("the upload of %s returned no file name".formatted(jar));
        }
        return Path.of(filename).getFileName().toString();
    }

    /**
     * {@code POST /jars/:id/run}: runs the uploaded jar's {@code entryClass} with {@code args}; with a
     * {@code savepointPath}, the job starts from that savepoint (every operator's state must be restored).
     *
     * @return the job id
     */
    public String runJar(String jarId, String entryClass, List<String> args, String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        body.putPOJO("programArgsList", args);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", false);
        }
        String jobId = post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3)).path("jobid").asText();
        if (jobId.isEmpty()) {
            throw new IOException("running jar %s returned no job id".formatted(jarId));
        }
        return jobId;
    }

    /**
     * {@code POST /jobs/:id/stop}: stops the job with a savepoint in {@code targetDirectory} (no drain: the
     * sources stop, the state is kept) and waits for it.
     *
     * @return the savepoint's location
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("drain", false);
        body.put("targetDirectory", targetDirectory);
        String trigger = post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30)).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("location")) {
                    return op.path("location").asText();
                }
                throw new IOException("stop with savepoint of %s failed: %s"
                        .formatted(jobId, op.path("failure-cause").path("stack-trace").asText(op.toString())));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("stop with savepoint of %s did not complete within %s s"
                        .formatted(jobId, timeout.toSeconds()));
            }
            Thread.sleep(250);
        }
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(30)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Whether the REST endpoint answers at all. */
    public boolean reachable() {
        try {
            overview();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String text = response.body() == null ? "" : response.body();
        if (response.statusCode() / 100 != 2) {
            throw new IOException("%s %s answered %s: %s"
                    .formatted(request.method(), request.uri().getPath(), response.statusCode(), abbreviate(text)));
        }
        return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
