package dev.lethe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** Every Kafka Streams state, answered over HTTP as an orchestrator's probe would see it. */
class StreamsHealthTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readyOnlyWhenRunningLiveUnlessFailedOrStoppedUnasked() throws Exception {
        StreamsHealth health = new StreamsHealth();
        AtomicReference<State> state = new AtomicReference<>();
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, health)) {
            assertEquals(200, get(server, "/health/live"), "alive while the stack starts");
            assertEquals(503, get(server, "/health/ready"), "not ready before Kafka Streams exists");
            health.watch(state::get);
            for (State s : State.values()) {
                state.set(s);
                assertEquals(s == State.RUNNING ? 200 : 503, get(server, "/health/ready"), s.name());
                boolean dead = s == State.ERROR || s == State.PENDING_ERROR || s == State.NOT_RUNNING;
                assertEquals(dead ? 503 : 200, get(server, "/health/live"), s.name());
            }
            health.shutdownRequested();
            state.set(State.PENDING_SHUTDOWN);
            assertEquals(503, get(server, "/health/ready"));
            state.set(State.NOT_RUNNING);
            assertEquals(200, get(server, "/health/live"), "a requested stop is not a failure");
            state.set(State.ERROR);
            assertEquals(503, get(server, "/health/live"));
        }
    }

    private int get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
