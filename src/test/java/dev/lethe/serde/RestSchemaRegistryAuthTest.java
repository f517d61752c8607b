package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import dev.lethe.events.DeletionRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The registry client sends HTTP basic auth when, and only when, a user is configured. */
class RestSchemaRegistryAuthTest {

    @Test
    void sendsBasicAuthOnlyWithAUser() throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            assertEquals(7, new RestSchemaRegistry(url, "lethe", "pa:ss").register("s", DeletionRequest.getClassSchema()));
            assertEquals("Basic " + Base64.getEncoder().encodeToString("lethe:pa:ss".getBytes(StandardCharsets.UTF_8)),
                    authorization.get());
            authorization.set("unset");
            new RestSchemaRegistry(url, "", "ignored").register("s", DeletionRequest.getClassSchema());
            assertNull(authorization.get(), "no user: no Authorization header");
        } finally {
            server.stop(0);
        }
    }
}
