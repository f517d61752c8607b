package dev.lethe.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.serde.SerdeException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the Confluent Schema Registry REST API, as also spoken by Apicurio (ccompat),
 * Karapace and Redpanda. Schemas are immutable once registered, so both directions are cached
 * for the life of the client: a running serializer talks to the registry once per schema.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    // Subjects go into URL paths unescaped; topic names (and so subjects) never need escaping.
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._-]+");

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    /** The Authorization header's value, or null; never printed. */
    private final String authorization;

    /** @param baseUrl e.g. {@code http://localhost:8081} or Apicurio's {@code .../apis/ccompat/v7} */
    public RestSchemaRegistry(String baseUrl) {
        this(baseUrl, null, null);
    }

    /**
     * A client that sends HTTP basic auth when {@code user} is neither null nor empty. TLS uses the
     * JVM's trust store ({@code javax.net.ssl.trustStore} and friends).
     */
    public RestSchemaRegistry(String baseUrl, String user, String password) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.authorization = user == null || user.isEmpty() ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = registerRacing(subject, schema);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SerdeException(Reason.REGISTRY_ERROR, "registering under " + subject + " answered no id: " + answer);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /**
     * Instances starting together on a fresh cluster register the same subject at once; Apicurio
     * answers the loser 409 "already exists" (a race, not an incompatible schema: the subject was
     * created by the winner a moment ago). Registering again then finds the schema and its id.
     */
    private JsonNode registerRacing(String subject, Schema schema) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send("POST", "subjects/" + checked(subject) + "/versions", schemaBody(schema));
            } catch (SerdeException e) {
                if (attempt >= RACE_ATTEMPTS || e.reason() != Reason.INCOMPATIBLE_SCHEMA
                        || !e.getMessage().contains("already exists")) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int RACE_ATTEMPTS = 5;

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SerdeException(Reason.UNKNOWN_SCHEMA, "schema id " + id + " is a " + type + " schema, not Avro");
        }
        Schema schema = parse(id, answer.path("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = send("POST", "compatibility/subjects/" + checked(subject) + "/versions/latest",
                    schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (NotFound e) {
            return true; // no version yet: nothing to be incompatible with
        }
    }

    @Override
    public void setCompatibility(String subject, Compatibility level) {
        send("PUT", "config/" + checked(subject), Map.of("compatibility", level.name()));
    }

    /** HTTP requests made so far; lets tests (and metrics) see the caches at work. */
    long requestCount() {
        return requests.get();
    }

    private static String checked(String subject) {
        if (!SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("subject '" + subject + "' has characters a topic name cannot have");
        }
        return subject;
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    private static Schema parse(int id, String text) {
        try {
            return new Schema.Parser().parse(text); // a fresh parser: parsers remember named types
        } catch (SchemaParseException e) {
            throw new SerdeException(Reason.REGISTRY_ERROR, "schema id " + id + " is not valid Avro: " + e.getMessage(), e);
        }
    }

    private JsonNode send(String method, String path, Object body) {
        HttpResponse<String> response = exchange(method, path, body);
        int status = response.statusCode();
        JsonNode answer = readJson(method, path, response.body());
        if (status / 100 == 2) {
            return answer;
        }
        throw failure(method + " " + base.resolve(path), status, answer);
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                    .header("Content-Type", CONTENT_TYPE).header("Accept", CONTENT_TYPE)
                    .method(method, publisher);
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            HttpRequest request = builder.build();
            requests.incrementAndGet();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SerdeException(Reason.REGISTRY_UNAVAILABLE, method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerdeException(Reason.REGISTRY_UNAVAILABLE, method + " " + base.resolve(path) + " interrupted", e);
        }
    }

    private JsonNode readJson(String method, String path, String text) {
        try {
            return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            // An HTML error page from a proxy, or not a registry at all.
            String start = text.substring(0, Math.min(200, text.length()));
            throw new SerdeException(Reason.REGISTRY_ERROR, method + " " + base.resolve(path) + " answered non-JSON: " + start, e);
        }
    }

    /** Maps the registry's status and error_code (e.g. 40403 = schema not found) to a reason. */
    private static SerdeException failure(String call, int status, JsonNode answer) {
        int code = answer.path("error_code").asInt(status);
        String message = call + " answered HTTP " + status + " (error_code " + code + "): "
                + answer.path("message").asText(answer.toString());
        if (code == 40403) {
            return new SerdeException(Reason.UNKNOWN_SCHEMA, message);
        }
        if (status == 404) {
            return new NotFound(message);
        }
        if (status == 409) {
            return new SerdeException(Reason.INCOMPATIBLE_SCHEMA, message);
        }
        if (status == 422) {
            return new SerdeException(Reason.INVALID_SCHEMA, message);
        }
        return new SerdeException(status >= 500 ? Reason.REGISTRY_UNAVAILABLE : Reason.REGISTRY_ERROR, message);
    }

    /** A 404 other than "no such schema id": a subject or version that does not exist (yet). */
    private static final class NotFound extends SerdeException {
        NotFound(String message) {
            super(Reason.REGISTRY_ERROR, message);
        }
    }
}
