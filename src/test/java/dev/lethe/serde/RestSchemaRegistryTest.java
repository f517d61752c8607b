package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lethe.events.DeletionRequest;
import dev.lethe.serde.SerdeException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the REST client reports a registry that is down or answers badly (an in-JVM stub server). */
class RestSchemaRegistryTest {
    private HttpServer stub;

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void anUnreachableRegistryIsAnOutageNotAPoisonRecord() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SerdeException e = assertThrows(SerdeException.class,
                () -> new RestSchemaRegistry("http://127.0.0.1:" + closedPort).schemaById(1));
        assertEquals(Reason.REGISTRY_UNAVAILABLE, e.reason());
        assertFalse(e.recordAtFault(), "must not send records to the dead-letter topic while the registry is down");
    }

    @Test
    void aServerErrorIsAnOutage() throws IOException {
        SerdeException e = assertThrows(SerdeException.class,
                () -> answering(503, "{\"error_code\":50003,\"message\":\"backend down\"}").schemaById(1));
        assertEquals(Reason.REGISTRY_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("50003") && e.getMessage().contains("backend down"), e.getMessage());
    }

    @Test
    void anInvalidSchemaAnswerIsReported() throws IOException {
        SerdeException e = assertThrows(SerdeException.class,
                () -> answering(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}")
                        .register("t-value", DeletionRequest.getClassSchema()));
        assertEquals(Reason.INVALID_SCHEMA, e.reason());
    }

    @Test
    void aNonJsonAnswerIsNotTakenForARegistry() throws IOException {
        SerdeException e = assertThrows(SerdeException.class,
                () -> answering(200, "<html>proxy login</html>").schemaById(1));
        assertEquals(Reason.REGISTRY_ERROR, e.reason());
        assertTrue(e.getMessage().contains("<html>"), e.getMessage());
    }

    /** Two instances starting together: the loser of Apicurio's create race registers again. */
    @Test
    void aSubjectCreatedConcurrentlyIsRegisteredAgainNotReportedIncompatible() throws IOException {
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            boolean first = posts.incrementAndGet() == 1;
            byte[] bytes = (first ? "{\"error_code\":409,\"message\":\"An artifact with ID 't-value' in group "
                    + "'null' already exists.\"}" : "{\"id\":7}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(first ? 409 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        RestSchemaRegistry client = new RestSchemaRegistry("http://127.0.0.1:" + stub.getAddress().getPort());
        assertEquals(7, client.register("t-value", DeletionRequest.getClassSchema()));
        assertEquals(2, posts.get());
    }

    @Test
    void aTrulyIncompatibleSchemaIsStillRefused() throws IOException {
        SerdeException e = assertThrows(SerdeException.class,
                () -> answering(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}")
                        .register("t-value", DeletionRequest.getClassSchema()));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, e.reason());
    }

    @Test
    void subjectsThatWouldNeedEscapingAreRefused() {
        RestSchemaRegistry client = new RestSchemaRegistry("http://127.0.0.1:1");
        assertThrows(IllegalArgumentException.class, () -> client.register("a/../b", DeletionRequest.getClassSchema()));
    }

    private RestSchemaRegistry answering(int status, String body) throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        return new RestSchemaRegistry("http://127.0.0.1:" + stub.getAddress().getPort());
    }
}
