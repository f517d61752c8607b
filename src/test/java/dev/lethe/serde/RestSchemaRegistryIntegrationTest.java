package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.SerdeException.Reason;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST client against a real registry (Apicurio's Confluent-compatible API). */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(ApicurioServer.class)
class RestSchemaRegistryIntegrationTest {
    private static String url;

    @BeforeAll
    static void registry(EmbeddedRegistry registry) {
        url = registry.ccompatUrl();
    }

    /** Each test its own subject, so tests never see each other's versions. */
    private static String subject(TestInfo test) {
        return "rest-" + test.getTestMethod().orElseThrow().getName() + "-value";
    }

    @Test
    void registerThenLookUpAndBothDirectionsAreCached(TestInfo test) {
        RestSchemaRegistry client = new RestSchemaRegistry(url);
        Schema schema = DeletionRequest.getClassSchema();
        int id = client.register(subject(test), schema);
        assertEquals(id, client.register(subject(test), schema));
        assertEquals(schema, client.schemaById(id)); // filled by register: no request
        assertEquals(1, client.requestCount(), "one HTTP call for register + re-register + lookup");

        RestSchemaRegistry fresh = new RestSchemaRegistry(url);
        assertEquals(schema, fresh.schemaById(id));
        assertEquals(schema, fresh.schemaById(id));
        assertEquals(1, fresh.requestCount(), "the second lookup comes from the cache");
        assertEquals(id, fresh.register(subject(test), schema), "re-registering answers the existing id");
    }

    @Test
    void differentSchemasGetDifferentIds(TestInfo test) {
        RestSchemaRegistry client = new RestSchemaRegistry(url);
        int a = client.register(subject(test), DeletionRequest.getClassSchema());
        int b = client.register("other-" + subject(test), ModelVersion.getClassSchema());
        assertNotEquals(a, b);
        assertEquals(ModelVersion.getClassSchema(), new RestSchemaRegistry(url).schemaById(b));
    }

    @Test
    void anUnknownIdIsReportedAsSuch() {
        SerdeException e = assertThrows(SerdeException.class, () -> new RestSchemaRegistry(url).schemaById(987_654));
        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("40403"), e.getMessage());
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithTheRegistrysReason(TestInfo test) {
        RestSchemaRegistry client = new RestSchemaRegistry(url);
        String subject = subject(test);
        assertTrue(client.isCompatible(subject, Evolution.DELETION_REQUEST_V0), "a new subject accepts anything");
        client.register(subject, Evolution.DELETION_REQUEST_V0);
        client.setCompatibility(subject, Compatibility.BACKWARD);

        assertTrue(client.isCompatible(subject, DeletionRequest.getClassSchema()));
        assertFalse(client.isCompatible(subject, Evolution.DELETION_REQUEST_BREAKING));
        SerdeException e = assertThrows(SerdeException.class,
                () -> client.register(subject, Evolution.DELETION_REQUEST_BREAKING));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, e.reason());
        assertFalse(e.recordAtFault());
        assertTrue(e.getMessage().contains("HTTP 409") && e.getMessage().contains("priority"), e.getMessage());
    }
}
