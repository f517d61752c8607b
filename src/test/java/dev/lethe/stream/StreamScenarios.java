package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageFolder;
import dev.lethe.data.Splits;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.AlphaPair;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The processor's scenarios against a real Kafka broker, a real schema registry (Apicurio)
 * and the real engine on a small MLP trained on Fashion-MNIST. Each test has its own topics and
 * application id, derived from its name. Subclasses say where the broker and the registry come from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StreamScenarios {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** For reads that may rightly come back short. */
    private static final Duration SHORT_WAIT = Duration.ofSeconds(10);
    private Path dir;
    private SchemaRegistry registry;
    private AvroSerdes serdes;
    private DirectoryArtifactStore store;
    private ArtifactRef base;
    private String dataDir;

    @BeforeAll
    void start() throws Exception {
        Path data = Prerequisites.fashionMnist();
        dataDir = data.toString();
        dir = Files.createTempDirectory("lethe-stream-it");
        startBroker(dir);
        registry = new RestSchemaRegistry(registryUrl());
        serdes = AvroSerdes.with(registry);
        store = new DirectoryArtifactStore(dir.resolve("artifacts"));
        Splits splits = FashionMnist.load(data);
        int[] first = new int[6000];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 3)) {
            Training.train(net, splits.train().select(first), new Training.Recipe(2, 64, 2e-3, 3), Training.Progress.NONE);
            base = store.put(ModelFiles.weightBytes(net));
        }
    }

    /** Starts the broker the scenarios run against (and the registry, where the subclass brings its own). */
    abstract void startBroker(Path workDir) throws Exception;

    abstract String bootstrapServers();

    /** The schema registry's Confluent-compatible API; asked after {@link #startBroker}. */
    abstract String registryUrl();

    abstract void stopBroker() throws Exception;

    @AfterAll
    void stop() throws Exception {
        stopBroker();
        if (dir != null) {
            Utils.delete(dir.toFile());
        }
    }

    @Test
    void distinctRequestsGiveVersionsInOrderAndADuplicateGivesNone(TestInfo info) throws Exception {
        Topics topics = topics(info);
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config(info, topics), registry, engine, WAIT)) {
            register(topics);
            send(topics, request("r1", 1), request("r2", 5), request("r1", 1), request("r3", 8));
            List<ModelVersion> versions = read(topics.versions(), ModelVersion.class, 4, true);
            assertEquals(List.of(0L, 1L, 2L, 3L), versions.stream().map(ModelVersion::getVersion).toList());
            assertEquals(List.of(1, 5, 8), versions.get(3).getForgottenClasses());
            assertTrue(versions.get(1).getMetrics().getForgetAccuracy() < 0.1,
                    "the engine really forgot: " + versions.get(1).getMetrics());
            for (ModelVersion v : versions) {
                assertEquals(v.getSha256(), ModelFiles.sha256(store.get(v.getArtifactUri())), "artifact matches its event");
            }
            List<AuditDecision> decisions = read(topics.audit(), AuditRecord.class, 5, true).stream()
                    .map(AuditRecord::getDecision).toList();
            // the registration first: every input gets its audit record
            assertEquals(List.of(AuditDecision.ACCEPTED, AuditDecision.ACCEPTED, AuditDecision.ACCEPTED,
                    AuditDecision.DUPLICATE, AuditDecision.ACCEPTED), decisions);
        }
    }

    @Test
    void badInputGoesToTheDeadLetterTopicAndTheNextGoodRequestSucceeds(TestInfo info) throws Exception {
        Topics topics = topics(info);
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config(info, topics), registry, engine, WAIT)) {
            register(topics);
            try (KafkaProducer<String, byte[]> p = producer()) {
                p.send(new ProducerRecord<>(topics.requests(), "m", new byte[] {0, 0, 0, 0, 42, 7})).get();
            }
            DeletionRequest unknownModel = request("r-model", 1);
            unknownModel.setModelId("no-such-model");
            send(topics, unknownModel, request("r-class", 12), request("r-good", 3));
            List<DeadLetter> dead = read(topics.deadLetters(), DeadLetter.class, 3, true);
            assertEquals(3, dead.size());
            assertTrue(dead.get(0).getErrorMessage() != null && !dead.get(0).getErrorMessage().isBlank());
            List<AuditRecord> audit = read(topics.audit(), AuditRecord.class, 5, true);
            assertEquals(List.of(AuditDecision.ACCEPTED, AuditDecision.REJECTED, AuditDecision.REJECTED,
                    AuditDecision.REJECTED, AuditDecision.ACCEPTED), audit.stream().map(AuditRecord::getDecision).toList());
            assertEquals(1L, read(topics.versions(), ModelVersion.class, 2, true).get(1).getVersion());
        }
    }

    @Test
    void aProcessorClosedMidStreamRestoresItsStoresAndNeitherLosesNorRepeats(TestInfo info) throws Exception {
        Topics topics = topics(info);
        StreamConfig config = config(info, topics);
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT)) {
            try (StreamRuntime first = StreamRuntime.start(config, registry, engine, WAIT)) {
                register(topics);
                send(topics, request("a", 1), request("b", 2), request("c", 3), request("d", 4));
                read(topics.versions(), ModelVersion.class, 2, true); // base + at least one request done
            }
            // Local state gone: the new instance must rebuild every store from its changelog.
            Utils.delete(Path.of(config.get(StreamConfig.STATE_DIR)).toFile());
            try (StreamRuntime second = StreamRuntime.start(config, registry, engine, WAIT)) {
                send(topics, request("b", 2), request("e", 5));
                List<ModelVersion> versions = read(topics.versions(), ModelVersion.class, 6, true);
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), versions.stream().map(ModelVersion::getVersion).toList());
                List<String> answered = versions.stream().flatMap(v -> v.getRequestIds().stream()).toList();
                assertEquals(List.of("a", "b", "c", "d", "e"), answered);
                List<AuditRecord> audit = read(topics.audit(), AuditRecord.class, 7, true); // registration + 6
                assertEquals(1, audit.stream().filter(a -> a.getDecision() == AuditDecision.DUPLICATE).count());
            }
        }
    }

    @Test
    void readCommittedConsumersNeverSeeAVersionWhoseTransactionAborted(TestInfo info) throws Exception {
        Topics topics = topics(info);
        // The second background task is submitted right after version 1 is forwarded, before the
        // commit: refusing it fails the task there, and its transaction is aborted.
        FailingOnce flaky = new FailingOnce(2);
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config(info, topics), registry, engine, WAIT, flaky)) {
            register(topics);
            send(topics, request("only", 7));
            List<ModelVersion> committed = read(topics.versions(), ModelVersion.class, 2, true);
            assertEquals(List.of(0L, 1L), committed.stream().map(ModelVersion::getVersion).toList());
            // The refusal came after version 1 was forwarded, so that transaction was aborted and
            // the request ran again: a third submission, made before the retry committed.
            assertTrue(flaky.calls() >= 3, "submissions: " + flaky.calls());
            // Whether the aborted attempt's record reached the log before the abort is up to the
            // producer's batching; if it did, only read_uncommitted shows it.
            List<ModelVersion> everything = read(topics.versions(), ModelVersion.class, 3, false, SHORT_WAIT);
            long attempts = everything.stream().filter(v -> v.getVersion() == 1L).count();
            assertTrue(attempts == 1 || attempts == 2, "versions in the raw log: "
                    + everything.stream().map(ModelVersion::getVersion).toList());
            assertEquals(List.of(0L, 1L), read(topics.versions(), ModelVersion.class, 3, true, SHORT_WAIT).stream()
                    .map(ModelVersion::getVersion).toList(), "read_committed sees version 1 once");
        } finally {
            flaky.shutdownNow();
        }
    }

    /**
     * Issue 14: a poison record of each kind, on three partitions, then valid requests; each
     * valid request gets its version within the read bound, also after a restart that lost the
     * retain statistics' files. (The quality gate is proven on the test driver: the real engine
     * forgets too well to fail it on demand.)
     */
    @Test
    void poisonRecordsOfEveryKindNeverHoldUpTheNextValidRequest(TestInfo info) throws Exception {
        Topics topics = topics(info);
        StreamConfig config = config(info, topics).with(StreamConfig.PARTITIONS, "3");
        ModelRegistration alphas = registration("p-alphas");
        alphas.setClassAlphas(Map.of("abc", AlphaPair.newBuilder().setAlphaR(10).setAlphaF(3).build()));
        ModelRegistration falseHash = registration("p-hash");
        falseHash.setSha256("0".repeat(64));
        ModelRegistration unknownNet = registration("p-arch");
        unknownNet.setArchitecture("no-such-net");
        byte[] nearLimit = new byte[1_048_000]; // accepted by a topic at 1 MiB; whole, its dead letter would not be
        new java.util.Random(14).nextBytes(nearLimit);
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config, registry, engine, WAIT)) {
            register(topics);
            byte[] misKeyed = serdes.valueSerde(DeletionRequest.class).serializer().serialize(topics.requests(),
                    request("mis-keyed", 1));
            try (KafkaProducer<String, byte[]> p = producer()) {
                for (ModelRegistration r : List.of(alphas, falseHash, unknownNet)) {
                    p.send(new ProducerRecord<>(topics.registrations(), r.getModelId(), serdes.valueSerde(
                            ModelRegistration.class).serializer().serialize(topics.registrations(), r))).get();
                }
                p.send(new ProducerRecord<>(topics.registrations(), "p-null", null)).get();
                p.send(new ProducerRecord<>(topics.requests(), "m", nearLimit)).get();
                p.send(new ProducerRecord<>(topics.requests(), "other", misKeyed)).get();
                p.send(new ProducerRecord<>(topics.requests(), "m", new byte[] {0, 0, 0, 0, 42, 7})).get();
            }
            long sent = System.nanoTime();
            send(topics, request("after-poison", 1));
            List<ModelVersion> versions = read(topics.versions(), ModelVersion.class, 2, true);
            assertEquals(List.of(0L, 1L), versions.stream().map(ModelVersion::getVersion).toList(),
                    "no poison registration got a version 0; the valid request got version 1");
            System.out.printf("valid request answered %.1f s after seven poison records%n", (System.nanoTime() - sent) / 1e9);
        }
        int dropped = deleteStatisticsArtifacts();
        assertTrue(dropped > 0, "retain statistics had been stored");
        try (UnlearningService fresh = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config, registry, fresh, WAIT)) {
            send(topics, request("after-restart", 2));
            List<ModelVersion> versions = read(topics.versions(), ModelVersion.class, 3, true);
            assertEquals(2L, versions.get(versions.size() - 1).getVersion(), "statistics gone means recompute");
        }
        List<AuditRecord> audit = read(topics.audit(), AuditRecord.class, 10, true);
        assertEquals(10, audit.size(), "one audit record per input: " + audit);
        assertEquals(3, audit.stream().filter(a -> a.getDecision() == AuditDecision.ACCEPTED).count());
        assertEquals(7, audit.stream().filter(a -> a.getDecision() == AuditDecision.REJECTED).count());
        List<String> reasons = audit.stream().map(AuditRecord::getReason).filter(r -> r != null).toList();
        for (String expected : List.of("class_alphas key 'abc'", "has sha256", "unknown architecture",
                "empty record", "keyed by model id", "undecodable")) {
            assertTrue(reasons.stream().anyMatch(r -> r.contains(expected)), expected + " in " + reasons);
        }
        List<DeadLetter> dead = read(topics.deadLetters(), DeadLetter.class, 7, true);
        assertEquals(7, dead.size());
        DeadLetter big = dead.stream().filter(d -> d.getOriginalValueBytes() != null).findFirst().orElseThrow();
        assertEquals(nearLimit.length, big.getOriginalValueBytes(), "the near-limit input was kept as a prefix");
    }

    /** Deletes every stored retain-statistics artifact (they start with the magic "LCST"), as a lost disk would. */
    private int deleteStatisticsArtifacts() throws java.io.IOException {
        int n = 0;
        try (var files = Files.walk(dir.resolve("artifacts"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] head = new byte[4];
                try (var in = Files.newInputStream(f)) {
                    if (in.read(head) == 4 && new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("LCST")) {
                        Files.delete(f);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    // ---- plumbing ------------------------------------------------------------------------------

    /**
     * Two models on different data (Fashion-MNIST's IDX files, and an image folder of other
     * images) in one processor: each request is computed from its own model's data; a third
     * model whose data disagrees with its network is refused at registration, with the reason.
     */
    @Test
    void modelsOnDifferentDataLiveSideBySide(TestInfo info) throws Exception {
        Topics topics = topics(info);
        DataSpec folder = ImageFolder.write(new Datasets.Loaded(firstImages(splitsForData().train(), 3_000, 0),
                firstImages(splitsForData().test(), 1_000, 0), FashionMnist.LABELS), dir.resolve("folder-" + topics.requests()), 30);
        ModelRegistration onFolder = ModelRegistration.newBuilder(registration("on-folder")).setData(folder.toJson()).build();
        ModelRegistration mismatched = ModelRegistration.newBuilder(registration("mismatched"))
                .setData(folder.withLabels(FashionMnist.LABELS.subList(0, 5)).toJson()).build();
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config(info, topics), registry, engine, WAIT)) {
            register(topics, registration("on-idx"), onFolder, mismatched);
            // As a user would: registered (or refused) first. Registrations and requests are two
            // topics, so a request sent at once may be read before its model's registration.
            assertEquals(3, read(topics.audit(), AuditRecord.class, 3, true).size(), "every registration answered");
            send(topics, request("r-idx", "on-idx", 1), request("r-folder", "on-folder", 3));
            List<ModelVersion> versions = read(topics.versions(), ModelVersion.class, 4, true);
            List<AuditRecord> audits = read(topics.audit(), AuditRecord.class, 5, true, SHORT_WAIT);
            assertEquals(4, versions.size(), "two base versions and one new version per model: " + versions
                    + "; audit: " + audits);
            for (String model : List.of("on-idx", "on-folder")) {
                ModelVersion v1 = versions.stream().filter(v -> v.getModelId().equals(model) && v.getVersion() == 1)
                        .findFirst().orElseThrow(() -> new AssertionError("no version 1 of " + model));
                assertTrue(v1.getMetrics().getForgetAccuracy() < 0.1, model + " forgot: " + v1.getMetrics());
            }
            AuditRecord refused = audits.stream()
                    .filter(a -> "mismatched".equals(a.getModelId())).findFirst().orElseThrow();
            assertEquals(AuditDecision.REJECTED, refused.getDecision());
            assertTrue(refused.getReason().contains("5 classes"), refused.getReason());
            assertTrue(versions.stream().noneMatch(v -> v.getModelId().equals("mismatched")), "no version of it");
        }
    }

    /**
     * What {@code bin/lethe register} waits for: the answer to exactly its own registration,
     * version 0 when accepted, the audit record with the reason when refused, and a refusal of
     * an earlier registration of the same id does not answer a later one.
     */
    @Test
    void aRegistrationIsAnsweredWithItsVersionZeroOrItsRefusal(TestInfo info) throws Exception {
        Topics topics = topics(info);
        ModelRegistration refused = ModelRegistration.newBuilder(registration("reg"))
                .setClassLabels(FashionMnist.LABELS.subList(0, 1)).build();
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             StreamRuntime runtime = StreamRuntime.start(config(info, topics), registry, engine, WAIT);
             dev.lethe.app.Client client = new dev.lethe.app.Client(bootstrapServers(), registry, topics);
             dev.lethe.app.Client.Follower follower = client.follow()) {
            var first = follower.awaitRegistration("reg", client.register(refused), WAIT);
            assertTrue(first.version().isEmpty(), "refused: " + first);
            assertEquals(AuditDecision.REJECTED, first.audit().getDecision());
            assertTrue(first.audit().getReason().contains("at least two classes"), first.audit().getReason());
            var second = follower.awaitRegistration("reg", client.register(registration("reg")), WAIT);
            assertEquals(0L, second.version().orElseThrow(() -> new AssertionError("no version 0: " + second))
                    .getVersion());
            assertEquals(base.sha256(), second.version().get().getSha256());
        }
    }

    private Splits splitsForData() throws java.io.IOException {
        return FashionMnist.load(Path.of(dataDir));
    }

    /** Images {@code from..from+n} of {@code d}, for an image folder small enough to write in seconds. */
    private static dev.lethe.data.Dataset firstImages(dev.lethe.data.Dataset d, int n, int from) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = from + i;
        }
        return d.select(rows);
    }

    private Topics topics(TestInfo info) {
        return Topics.DEFAULT.prefixed(info.getTestMethod().orElseThrow().getName() + ".");
    }

    private StreamConfig config(TestInfo info, Topics topics) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName();
        StreamConfig c = StreamConfig.load(dir.resolve(name), null, Map.of())
                .with(StreamConfig.BOOTSTRAP, bootstrapServers())
                .with(StreamConfig.APPLICATION_ID, "it-" + name)
                .with(StreamConfig.MAX_REQUEST_SECONDS, "60");
        c = c.with("lethe.topic.requests", topics.requests()).with("lethe.topic.registrations", topics.registrations())
                .with("lethe.topic.versions", topics.versions()).with("lethe.topic.audit", topics.audit())
                .with("lethe.topic.dead-letters", topics.deadLetters());
        return c;
    }

    private ModelRegistration registration(String id) {
        return ModelRegistration.newBuilder().setModelId(id).setArtifactUri(base.uri())
                .setSha256(base.sha256()).setFormat("safetensors").setArchitecture("mlp")
                .setClassLabels(FashionMnist.LABELS).setSampleBankUri(dataDir).setSampleBankSha256(null)
                .setDefaultAlphaR(100).setDefaultAlphaF(3).setRegisteredAt(Instant.now()).build();
    }

    private void register(Topics topics) throws Exception {
        register(topics, registration("m"));
    }

    private void register(Topics topics, ModelRegistration... regs) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            for (ModelRegistration reg : regs) {
                p.send(new ProducerRecord<>(topics.registrations(), reg.getModelId(),
                        serdes.valueSerde(ModelRegistration.class).serializer().serialize(topics.registrations(), reg)))
                        .get();
            }
        }
    }

    private void send(Topics topics, DeletionRequest... requests) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            for (DeletionRequest r : requests) {
                byte[] bytes = serdes.valueSerde(DeletionRequest.class).serializer().serialize(topics.requests(), r);
                p.send(new ProducerRecord<>(topics.requests(), r.getModelId(), bytes)).get();
            }
        }
    }

    private static DeletionRequest request(String id, int cls) {
        return request(id, "m", cls);
    }

    private static DeletionRequest request(String id, String model, int cls) {
        return DeletionRequest.newBuilder().setRequestId(id).setModelId(model).setClassIndices(List.of(cls))
                .setClassLabels(List.of()).setRequestedBy("it").setReason("test").setTenant("t")
                .setRequestedAt(Instant.now()).setAlphaR(null).setAlphaF(null).setExpectedParentVersion(null).build();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads from the beginning until {@code count} records arrived (or the wait ran out). */
    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type, int count,
                                                                             boolean committedOnly) {
        return read(topic, type, count, committedOnly, WAIT);
    }

    /** Up to {@code count} records, or what arrived within {@code wait}. */
    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type, int count,
                                                                             boolean committedOnly, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        Deserializer<T> values = serdes.valueSerde(type).deserializer();
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        try (KafkaConsumer<String, T> c = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            c.subscribe(List.of(topic));
            while (out.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, T> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            // Anything beyond what was expected (a repeat, a leak) would show up in a short extra poll.
            for (ConsumerRecord<String, T> r : c.poll(Duration.ofMillis(1500))) {
                out.add(r.value());
            }
        }
        return out;
    }

    /** An executor that refuses its {@code n}-th task, once. */
    private static final class FailingOnce extends java.util.concurrent.AbstractExecutorService {
        private final ExecutorService delegate = Executors.newSingleThreadExecutor();
        private final AtomicInteger calls = new AtomicInteger();
        private final int failAt;

        FailingOnce(int failAt) {
            this.failAt = failAt;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void execute(Runnable command) {
            if (calls.incrementAndGet() == failAt) {
                throw new RejectedExecutionException("injected failure before the commit");
            }
            delegate.execute(command);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
