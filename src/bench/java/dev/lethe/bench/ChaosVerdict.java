package dev.lethe.bench;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.lineage.Lineage;
import dev.lethe.lineage.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the topics say after the run, read from the beginning: with {@code read_committed}, what
 * every consumer of Lethe sees (versions, their lineage, the answer to each request); with
 * {@code read_uncommitted}, also the records of transactions that a kill aborted.
 */
final class ChaosVerdict {
    int versions;
    int lost;
    int duplicated;
    int refused;
    int lineageBreaks;
    int abortedVersionRecords;
    final List<String> problems = new ArrayList<>();
    /** Offsets (partition:offset) of version records that were sent but never committed. */
    final Set<String> abortedOffsets = new HashSet<>();
    /** Requests answered by a version record that was sent and then aborted with its transaction. */
    final Set<String> abortedRequests = new HashSet<>();

    static ChaosVerdict check(String bootstrap, SchemaRegistry registry, Topics topics,
                              Map<String, ModelRegistration> models, List<DeletionRequest> requests) {
        AvroSerdes serdes = AvroSerdes.with(registry);
        List<ConsumerRecord<byte[], byte[]>> committed = readAll(bootstrap, topics.versions(), true);
        List<ConsumerRecord<byte[], byte[]>> all = readAll(bootstrap, topics.versions(), false);
        List<ConsumerRecord<byte[], byte[]>> audit = readAll(bootstrap, topics.audit(), true);
        ChaosVerdict v = new ChaosVerdict();
        Set<String> committedAt = committed.stream().map(ChaosVerdict::where).collect(Collectors.toSet());
        for (ConsumerRecord<byte[], byte[]> r : all) {
            if (!committedAt.contains(where(r))) {
                v.abortedOffsets.add(where(r));
                v.abortedRequests.addAll(serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value())
                        .getRequestIds());
            }
        }
        v.abortedVersionRecords = v.abortedOffsets.size();

        Map<String, List<ModelVersion>> byModel = new HashMap<>();
        Map<String, Integer> versionsPerRequest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            ModelVersion mv = serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value());
            if (!models.containsKey(mv.getModelId())) {
                continue; // the base model `lethe run` registers for itself
            }
            byModel.computeIfAbsent(mv.getModelId(), k -> new ArrayList<>()).add(mv);
            mv.getRequestIds().forEach(id -> versionsPerRequest.merge(id, 1, Integer::sum));
        }
        Map<String, AuditRecord> refusals = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : audit) {
            AuditRecord a = serdes.valueSerde(AuditRecord.class).deserializer().deserialize(r.topic(), r.value());
            if (a.getRequestId() != null && a.getDecision() != AuditDecision.ACCEPTED && a.getDecision() != AuditDecision.DUPLICATE) {
                refusals.put(a.getRequestId(), a);
            }
        }
        for (DeletionRequest req : requests) {
            int n = versionsPerRequest.getOrDefault(req.getRequestId(), 0);
            if (n > 1) {
                v.duplicated += n - 1;
                v.problems.add(req.getRequestId() + " answered by " + n + " versions");
            } else if (n == 0 && refusals.containsKey(req.getRequestId())) {
                v.refused++;
                v.problems.add(req.getRequestId() + " refused: " + refusals.get(req.getRequestId()).getReason());
            } else if (n == 0) {
                v.lost++;
                v.problems.add(req.getRequestId() + " has no committed version and no refusal");
            }
        }
        Map<String, DeletionRequest> byId = requests.stream().collect(Collectors.toMap(DeletionRequest::getRequestId, r -> r));
        for (Map.Entry<String, ModelRegistration> m : models.entrySet()) {
            List<ModelVersion> chain = byModel.getOrDefault(m.getKey(), List.of());
            v.versions += (int) chain.stream().filter(x -> x.getVersion() > 0).count();
            v.checkChain(m.getValue(), chain, byId);
        }
        return v;
    }

    private void checkChain(ModelRegistration reg, List<ModelVersion> chain, Map<String, DeletionRequest> requests) {
        List<String> breaks = chainBreaks(reg, chain, requests);
        lineageBreaks += breaks.size();
        problems.addAll(breaks);
    }

    /** Versions 0, 1, 2, ... in log order, each naming the one before as parent and extending its lineage hash. */
    static List<String> chainBreaks(ModelRegistration reg, List<ModelVersion> chain, Map<String, DeletionRequest> requests) {
        List<String> out = new ArrayList<>();
        ModelVersion prev = null;
        for (ModelVersion mv : chain) {
            String broken = null;
            if (prev == null) {
                if (mv.getVersion() != 0 || !mv.getLineageHash().equals(Lineage.root(reg))) {
                    broken = "does not start at the registration's base version";
                }
            } else if (mv.getVersion() != prev.getVersion() + 1) {
                broken = "follows version " + prev.getVersion();
            } else if (mv.getParentVersion() == null || mv.getParentVersion() != prev.getVersion()) {
                broken = "names parent " + mv.getParentVersion() + " after version " + prev.getVersion();
            } else if (mv.getRequestIds().size() != 1 || !requests.containsKey(mv.getRequestIds().get(0))) {
                broken = "answers requests " + mv.getRequestIds() + ", not one request of this run";
            } else if (!mv.getLineageHash().equals(Lineage.next(prev.getLineageHash(), requests.get(mv.getRequestIds().get(0)),
                    mv.getParameters(), mv.getSha256()))) {
                broken = "lineage hash does not extend its parent's";
            }
            if (broken != null) {
                out.add(reg.getModelId() + " v" + mv.getVersion() + ": " + broken);
            }
            prev = mv;
        }
        return out;
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.partition() + ":" + r.offset();
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 2 minutes");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }
}
