package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.events.DeletionRequest;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serializer to deserializer through a real registry, each side with its own client. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(ApicurioServer.class)
class AvroSerdeIntegrationTest {
    private static String url;

    @BeforeAll
    static void registry(EmbeddedRegistry registry) {
        url = registry.ccompatUrl();
    }

    @Test
    void everyEventRoundTripsBetweenAProducerAndAConsumer() {
        // Separate clients: the consumer must resolve the writer's schema id over HTTP.
        AvroSerdes producer = AvroSerdes.forRegistryUrl(url);
        AvroSerdes consumer = AvroSerdes.forRegistryUrl(url);
        for (SpecificRecord event : SampleEvents.all()) {
            String topic = "serde-it." + event.getSchema().getName();
            assertEquals(event, roundTrip(producer, consumer, topic, event));
        }
    }

    @Test
    void theCurrentReaderReadsWhatAnOlderProducerWrote() throws Exception {
        String topic = "serde-it.evolution";
        RestSchemaRegistry registry = new RestSchemaRegistry(url);
        String subject = SchemaRegistry.subject(topic, false);
        int oldId = registry.register(subject, Evolution.DELETION_REQUEST_V0);
        registry.setCompatibility(subject, Compatibility.BACKWARD);
        byte[] oldBytes = Evolution.frame(oldId, Evolution.oldRequest());

        // The current producer registers the evolved schema as the subject's next version...
        AvroSerdes serdes = AvroSerdes.forRegistryUrl(url);
        Serde<DeletionRequest> serde = serdes.valueSerde(DeletionRequest.class);
        DeletionRequest current = SampleEvents.deletionRequest();
        byte[] newBytes = serde.serializer().serialize(topic, current);

        // ... and one consumer reads both generations from the topic.
        DeletionRequest old = serde.deserializer().deserialize(topic, oldBytes);
        assertEquals("req-old-1", old.getRequestId());
        assertNull(old.getAlphaF());
        assertNull(old.getExpectedParentVersion());
        assertEquals(current, serde.deserializer().deserialize(topic, newBytes));
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T roundTrip(AvroSerdes producer, AvroSerdes consumer, String topic, T event) {
        Class<T> type = (Class<T>) event.getClass();
        byte[] bytes = producer.valueSerde(type).serializer().serialize(topic, event);
        return consumer.valueSerde(type).deserializer().deserialize(topic, bytes);
    }
}
