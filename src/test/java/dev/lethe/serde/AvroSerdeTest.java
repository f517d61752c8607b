package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.serde.SerdeException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The serializer pair over the in-memory registry: framing, round trips, every failure mode. */
class AvroSerdeTest {
    private static final String TOPIC = "lethe.deletion-requests";
    private final RecordingRegistry registry = new RecordingRegistry();

    @Test
    void everyEventRoundTripsAndCarriesItsRegisteredSchemaId() {
        for (SpecificRecord event : SampleEvents.all()) {
            String topic = event.getSchema().getName();
            byte[] bytes = serializer(event.getClass(), false).serialize(topic, event);
            int id = registry.register(topic + "-value", event.getSchema());
            assertEquals(0, bytes[0], "magic byte");
            assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "schema id, big-endian");
            assertEquals(event, new AvroDeserializer<>(registry, event.getClass()).deserialize(topic, bytes));
        }
    }

    @Test
    void topicNameStrategyChoosesTheSubject() {
        serialize(SampleEvents.deletionRequest(), false);
        serialize(SampleEvents.deletionRequest(), true);
        assertEquals(List.of(TOPIC + "-value", TOPIC + "-key"), registry.subjects);
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerializer<DeletionRequest> serializer = new AvroSerializer<>(registry, DeletionRequest.class, false);
        assertNull(serializer.serialize(TOPIC, null));
        assertNull(new AvroDeserializer<>(registry, DeletionRequest.class).deserialize(TOPIC, null));
    }

    @Test
    void aWrongMagicByteIsRejectedAsThePoisonItIs() {
        byte[] bytes = serialize(SampleEvents.deletionRequest(), false);
        bytes[0] = 1;
        SerdeException e = failure(bytes);
        assertEquals(Reason.BAD_MAGIC, e.reason());
        assertTrue(e.recordAtFault());
        assertTrue(e.getMessage().contains("0x01"), e.getMessage());
    }

    @Test
    void fewerBytesThanTheHeaderAreTruncated() {
        assertEquals(Reason.TRUNCATED, failure(new byte[] {0, 0, 0}).reason());
        assertEquals(Reason.TRUNCATED, failure(new byte[0]).reason());
    }

    @Test
    void everyCutOfTheBodyIsReportedAsTruncated() {
        byte[] whole = serialize(SampleEvents.deletionRequest(), false);
        for (int length = 5; length < whole.length; length++) {
            SerdeException e = failure(Arrays.copyOf(whole, length));
            assertEquals(Reason.TRUNCATED, e.reason(), "cut at " + length + ": " + e.getMessage());
        }
    }

    @Test
    void bytesLeftOverAfterTheRecordAreMalformed() {
        byte[] whole = serialize(SampleEvents.deletionRequest(), false);
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);
        assertEquals(Reason.MALFORMED, failure(longer).reason());
    }

    @Test
    void anIdTheRegistryNeverGaveIsAnUnknownSchema() {
        byte[] bytes = serialize(SampleEvents.deletionRequest(), false);
        ByteBuffer.wrap(bytes).putInt(1, 4242);
        SerdeException e = failure(bytes);
        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("4242"), e.getMessage());
    }

    @Test
    void aRecordOfAnotherTypeOnTheTopicIsMalformed() {
        byte[] version = serialize(SampleEvents.modelVersion(), false);
        SerdeException e = failure(version);
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.recordAtFault());
    }

    /**
     * Random bodies behind a valid header: each decodes or fails as a poison record, and none
     * makes the decoder allocate what a claimed length says (which would end in OutOfMemoryError).
     */
    @Test
    void randomBodiesNeverEscapeAsAnythingButPoisonRecords() {
        byte[] header = Arrays.copyOf(serialize(SampleEvents.deletionRequest(), false), 5);
        Random random = new Random(20261127);
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = Arrays.copyOf(header, 5 + random.nextInt(64));
            for (int j = 5; j < bytes.length; j++) {
                bytes[j] = (byte) random.nextInt(256);
            }
            try {
                DeletionRequest decoded = deserialize(DeletionRequest.class, bytes);
                // What decodes is a whole record: it encodes again without complaint.
                assertTrue(serialize(decoded, false).length > 5);
            } catch (SerdeException e) {
                assertTrue(e.recordAtFault(), e.getMessage());
                assertTrue(e.reason() != null && e.getMessage() != null && !e.getMessage().isBlank());
                rejected++;
            }
        }
        assertTrue(rejected > 1_000, "random bytes are mostly not a DeletionRequest: " + rejected + " of 3000 rejected");
    }

    @Test
    void aHugeClaimedStringLengthFailsWithoutAllocatingIt() {
        byte[] header = Arrays.copyOf(serialize(SampleEvents.deletionRequest(), false), 5);
        // zig-zag varint for 2^30: a 1 GiB request_id in a 10-byte record
        byte[] bytes = concat(header, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'});
        SerdeException e = failure(bytes);
        assertEquals(Reason.TRUNCATED, e.reason());
        assertTrue(e.getMessage().contains("claims 1073741824"), e.getMessage());
    }

    @Test
    void aReaderWithAddedOptionalFieldsReadsRecordsOfTheOlderSchema() throws Exception {
        int oldId = registry.register(TOPIC + "-value", Evolution.DELETION_REQUEST_V0);
        DeletionRequest read = deserialize(DeletionRequest.class, Evolution.frame(oldId, Evolution.oldRequest()));
        assertEquals("req-old-1", read.getRequestId());
        assertEquals(List.of(1), read.getClassIndices());
        assertEquals(SampleEvents.AT, read.getRequestedAt());
        assertNull(read.getAlphaR());
        assertNull(read.getExpectedParentVersion());
        // ... and the registry agrees: the current schema is a BACKWARD-compatible next version.
        assertTrue(registry.isCompatible(TOPIC + "-value", DeletionRequest.getClassSchema()));
        assertFalse(registry.isCompatible(TOPIC + "-value", Evolution.DELETION_REQUEST_BREAKING));
    }

    @Test
    void registrationsWrittenBeforeForgetRanksReadWithNoRank() throws Exception {
        String subject = "lethe.model-registrations-value";
        int oldId = registry.register(subject, Evolution.MODEL_REGISTRATION_V2);
        ModelRegistration read = deserialize(ModelRegistration.class, Evolution.frame(oldId, Evolution.oldRegistration()));
        assertEquals(30.0, read.getClassAlphas().get("1").getAlphaR());
        assertNull(read.getClassAlphas().get("1").getForgetRank());
        assertNull(read.getDefaultForgetRank());
        assertNull(dev.lethe.lineage.Versions.model(read).alphas().perClass().get(1).forgetRank(),
                "no rank: the processor's default applies");
        assertTrue(registry.isCompatible(subject, ModelRegistration.getClassSchema()));
    }

    @Test
    void theFakeRegistryRefusesAnIncompatibleSchemaAndKeepsIdsStable() {
        String subject = TOPIC + "-value";
        int id = registry.register(subject, DeletionRequest.getClassSchema());
        assertEquals(id, registry.register(subject, DeletionRequest.getClassSchema()));
        SerdeException e = assertThrows(SerdeException.class,
                () -> registry.register(subject, Evolution.DELETION_REQUEST_BREAKING));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, e.reason());
        assertFalse(e.recordAtFault());
        registry.setCompatibility(subject, Compatibility.NONE);
        assertTrue(registry.register(subject, Evolution.DELETION_REQUEST_BREAKING) != id);
    }

    private byte[] serialize(SpecificRecord event, boolean isKey) {
        return serializer(event.getClass(), isKey).serialize(TOPIC, event);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> AvroSerializer<SpecificRecord> serializer(Class<T> type, boolean isKey) {
        return (AvroSerializer<SpecificRecord>) new AvroSerializer<>(registry, type, isKey);
    }

    private <T extends SpecificRecord> T deserialize(Class<T> type, byte[] bytes) {
        return new AvroDeserializer<>(registry, type).deserialize(TOPIC, bytes);
    }

    private SerdeException failure(byte[] bytes) {
        return assertThrows(SerdeException.class, () -> deserialize(DeletionRequest.class, bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The in-memory registry, noting which subjects were registered. */
    private static final class RecordingRegistry implements SchemaRegistry {
        final InMemorySchemaRegistry inner = new InMemorySchemaRegistry();
        final List<String> subjects = new ArrayList<>();

        @Override public int register(String subject, Schema schema) {
            subjects.add(subject);
            return inner.register(subject, schema);
        }
        @Override public Schema schemaById(int id) { return inner.schemaById(id); }
        @Override public boolean isCompatible(String s, Schema schema) { return inner.isCompatible(s, schema); }
        @Override public void setCompatibility(String s, Compatibility level) { inner.setCompatibility(s, level); }
    }
}
