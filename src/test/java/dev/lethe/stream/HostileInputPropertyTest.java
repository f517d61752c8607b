package dev.lethe.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lethe.events.AlphaPair;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs, hostile in every field the schema allows (huge, negative, NaN and
 * infinite numbers, empty and huge strings, unknown models, repeated ids, wrong keys, bytes
 * that are almost an event): no exception escapes the processor, every input gets exactly one
 * audit record, and every record it writes fits the record limit. The seed is in every message.
 */
class HostileInputPropertyTest {
    private static final int INPUTS = 500;
    private static final long SEED = Long.getLong("lethe.property.seed", 20261202L);
    private static final List<String> MODELS = List.of("m", "n", "ghost");
    /** Small, so that the size bounds really bite: dead letters, reasons, ids must all be cut. */
    private final Safeguards limits = new Safeguards(Safeguards.MIN_MESSAGE_BYTES, 0.2);
    private final TopologyHarness h = new TopologyHarness(limits);
    private final Random random = new Random(SEED);
    private final List<String> requestIds = new ArrayList<>();
    /** Models registered validly along the way, so that well-formed requests keep finding classes to forget. */
    private final List<String> live = new ArrayList<>(List.of("m"));

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void everyInputGetsExactlyOneAuditRecordAndNothingEscapes() {
        h.registrations.pipeInput("m", LetheTopologyTest.registration("m")); // something for valid requests to hit
        h.audit.readValuesToList();
        h.versions.readValuesToList();
        Map<AuditDecision, Integer> seen = new HashMap<>();
        for (int i = 0; i < INPUTS; i++) {
            String what = "input " + i + " (seed " + SEED + ")";
            h.engine.forgetAccuracy = random.nextInt(10) == 0 ? random.nextDouble() : 0.01;
            try {
                pipeOne();
            } catch (RuntimeException e) {
                fail(what + ": an exception escaped the processor", e);
            }
            List<TestRecord<String, AuditRecord>> audits = h.audit.readRecordsToList();
            assertEquals(1, audits.size(), what + ": audit records");
            AuditRecord a = audits.get(0).value();
            seen.merge(a.getDecision(), 1, Integer::sum);
            assertFits(audits.get(0).key(), a, h.topics.audit(), what);
            int versions = countAndCheck(h.versions.readRecordsToList(), h.topics.versions(), what);
            int dead = countAndCheck(h.deadLetters.readRecordsToList(), h.topics.deadLetters(), what);
            assertEquals(a.getDecision() == AuditDecision.ACCEPTED ? 1 : 0, versions, what + ": versions for " + a);
            assertEquals(a.getDecision() == AuditDecision.REJECTED ? 1 : 0, dead, what + ": dead letters for " + a);
        }
        for (AuditDecision d : AuditDecision.values()) {
            assertTrue(seen.getOrDefault(d, 0) > 0, "the inputs reached every decision; got " + seen);
        }
    }

    private void pipeOne() {
        switch (random.nextInt(7)) {
            case 6 -> {
                String id = "live-" + live.size();
                live.add(id);
                h.registrations.pipeInput(id, LetheTopologyTest.registration(id));
            }
            case 0, 1 -> {
                DeletionRequest r = request();
                h.rawRequests.pipeInput(key(r.getModelId()), h.bytes(h.topics.requests(), r));
            }
            case 2 -> {
                ModelRegistration reg = registration();
                h.rawRegistrations.pipeInput(key(reg.getModelId()), h.bytes(h.topics.registrations(), reg));
            }
            case 3 -> h.rawRequests.pipeInput(key("m"), mutate(h.bytes(h.topics.requests(), request())));
            case 4 -> h.rawRegistrations.pipeInput(key("m"), mutate(h.bytes(h.topics.registrations(), registration())));
            default -> {
                byte[] junk = random.nextInt(8) == 0 ? null : bytes(random.nextInt(4) == 0 ? 200_000 : 40);
                (random.nextBoolean() ? h.rawRequests : h.rawRegistrations).pipeInput(key("m"), junk);
            }
        }
    }

    private DeletionRequest request() {
        if (random.nextInt(3) == 0) { // well formed, on a live model: accepted, failed by the gate, or a duplicate
            String id = random.nextInt(5) == 0 && !requestIds.isEmpty()
                    ? requestIds.get(random.nextInt(requestIds.size())) : "ok-" + random.nextInt(1_000_000);
            requestIds.add(id);
            return LetheTopologyTest.request(id, live.get(random.nextInt(live.size())), List.of(random.nextInt(4)),
                    List.of());
        }
        String id = random.nextInt(4) == 0 && !requestIds.isEmpty()
                ? requestIds.get(random.nextInt(requestIds.size())) : text();
        requestIds.add(id);
        List<Integer> classes = new ArrayList<>();
        for (int i = random.nextInt(random.nextInt(20) == 0 ? 5_000 : 3); i > 0; i--) {
            classes.add(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(5));
        }
        List<String> labels = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            labels.add(random.nextBoolean() ? LetheTopologyTest.registration("m").getClassLabels().get(random.nextInt(4))
                    : text());
        }
        return DeletionRequest.newBuilder().setRequestId(id).setModelId(model()).setClassIndices(classes)
                .setClassLabels(labels).setRequestedBy(text()).setReason(text()).setTenant(text())
                .setRequestedAt(Instant.ofEpochMilli(random.nextLong() >> 20))
                .setAlphaR(random.nextBoolean() ? null : number()).setAlphaF(random.nextBoolean() ? null : number())
                .setExpectedParentVersion(random.nextBoolean() ? null : (long) random.nextInt(4) - 1).build();
    }

    private ModelRegistration registration() {
        ModelRegistration r = LetheTopologyTest.registration(model());
        if (random.nextBoolean()) {
            List<String> labels = new ArrayList<>();
            for (int i = random.nextInt(random.nextInt(10) == 0 ? 3_000 : 5); i > 0; i--) {
                labels.add(random.nextInt(3) == 0 ? "dup" : text());
            }
            r.setClassLabels(labels);
        }
        if (random.nextBoolean()) {
            Map<String, AlphaPair> alphas = new HashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                alphas.put(random.nextBoolean() ? String.valueOf(random.nextInt(8) - 2) : text(),
                        AlphaPair.newBuilder().setAlphaR(number()).setAlphaF(number())
                                .setForgetRank(random.nextBoolean() ? null : random.nextInt(10) - 3).build());
            }
            r.setClassAlphas(alphas);
        }
        switch (random.nextInt(6)) {
            case 0 -> r.setSha256(text());
            case 1 -> r.setArchitecture(random.nextBoolean() ? "" : text());
            case 2 -> r.setDefaultAlphaR(number());
            case 3 -> r.setDefaultForgetRank(random.nextInt(5) - 2);
            case 4 -> r.setArtifactUri(random.nextBoolean() ? "" : text());
            default -> { }
        }
        return r;
    }

    /** Model ids: the registered one, another, an unknown one, or hostile text. */
    private String model() {
        return random.nextInt(4) == 0 ? text() : MODELS.get(random.nextInt(MODELS.size()));
    }

    /** Usually the model id (as producers should key), sometimes another key, none, or a huge one. */
    private byte[] key(String modelId) {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> text().getBytes(StandardCharsets.UTF_8);
            case 2 -> bytes(random.nextBoolean() ? 3 : 10_000);
            default -> modelId.getBytes(StandardCharsets.UTF_8);
        };
    }

    private String text() {
        return switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> "x".repeat(random.nextInt(100_000));
            case 2 -> "\u0000\uFFFF\uD83D\uDE00 ' \" \\ \n";
            case 3 -> "m";
            case 4 -> String.valueOf(random.nextLong());
            default -> "id-" + random.nextInt(50);
        };
    }

    private double number() {
        double[] hostile = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1, 0, -0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, 1e6, 1e6 + 1, 3, 100};
        return hostile[random.nextInt(hostile.length)];
    }

    /** A real event's bytes, damaged: a flipped byte, cut short, or with bytes appended. */
    private byte[] mutate(byte[] bytes) {
        byte[] out = switch (random.nextInt(3)) {
            case 0 -> bytes.clone();
            case 1 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            default -> java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
        };
        if (out.length > 0) {
            out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private <T extends SpecificRecord> int countAndCheck(List<TestRecord<String, T>> records, String topic, String what) {
        records.forEach(r -> assertFits(r.key(), r.value(), topic, what));
        return records.size();
    }

    private void assertFits(String key, SpecificRecord value, String topic, String what) {
        int size = TopologyHarness.recordSize(key, h.bytes(topic, value));
        assertTrue(size <= limits.maxMessageBytes(), what + ": a " + size + "-byte record on " + topic);
    }
}
