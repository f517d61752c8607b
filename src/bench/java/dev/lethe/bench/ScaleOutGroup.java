package dev.lethe.bench;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.replay.HistoryReader;
import dev.lethe.replay.Replayer;
import dev.lethe.stream.Safeguards;
import dev.lethe.lineage.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * One application id on a {@link ScaleOutCluster}: its own topics (several partitions), processor
 * instances ({@code lethe run}, each a JVM of its own with its own state directory), its models,
 * the requests published to it, and two readers of its output (read_committed and
 * read_uncommitted) that tell when each request was answered.
 */
final class ScaleOutGroup implements AutoCloseable {
    static final String RUN_READY = "lethe: processing deletion requests";

    /**
     * The group's shape. The session timeout bounds how long a SIGKILLed member keeps its
     * partitions; the transaction timeout how long its open transaction blocks read_committed
     * readers and the next owner's restore. Both sit well above one request on the small MLP.
     */
    record Settings(String name, int partitions, int standbyReplicas, int sessionTimeoutMs, int transactionTimeoutMs) { }

    private final ScaleOutCluster cluster;
    final Settings settings;
    final Topics topics;
    final String applicationId;
    final List<ChildJvm> processors = new ArrayList<>();
    final Map<String, ModelRegistration> models = new LinkedHashMap<>();
    final List<DeletionRequest> published = new ArrayList<>();
    private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> classesLeft = new LinkedHashMap<>();
    private final Random random;
    private final Client client;
    final TopicWatch committed;
    final TopicWatch uncommitted;

    private ScaleOutGroup(ScaleOutCluster cluster, Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
        this.topics = Topics.DEFAULT.prefixed(settings.name() + ".");
        this.applicationId = "lethe-" + settings.name();
        this.random = new Random(settings.name().hashCode());
        createTopics();
        this.client = new Client(cluster.bootstrap(), cluster.registry(), topics);
        this.committed = new TopicWatch(cluster.bootstrap(), cluster.registry(), topics, true);
        this.uncommitted = new TopicWatch(cluster.bootstrap(), cluster.registry(), topics, false);
    }

    static ScaleOutGroup create(ScaleOutCluster cluster, Settings settings) {
        return new ScaleOutGroup(cluster, settings);
    }

    /**
     * The topics, created before any instance starts, as an operator's topic definitions would:
     * every instance then finds them and none races another to create them.
     */
    private void createTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        List<NewTopic> all = new ArrayList<>();
        for (String t : List.of(topics.requests(), topics.registrations(), topics.versions(), topics.audit(),
                topics.deadLetters())) {
            all.add(new NewTopic(t, settings.partitions(), (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(Safeguards.DEFAULT_MAX_MESSAGE_BYTES))));
        }
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics of " + settings.name(), e);
        }
    }

    /**
     * Starts {@code n} more instances and waits until each processes requests: the first of a
     * fresh group alone, the rest at once. Alone, because instances started together on fresh
     * topics race to register the events' schemas (Apicurio answers the loser HTTP 409 "already
     * exists"); the registry client now registers again on that answer, but this harness keeps
     * the order it was measured with (docs/operations.md, "Several instances").
     */
    void startProcessors(int n) throws Exception {
        if (processors.isEmpty() && n > 1) {
            startProcessors(1);
            n--;
        }
        List<ChildJvm> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fresh.add(processor(processors.size() + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Void>> started = new ArrayList<>();
            for (ChildJvm p : fresh) {
                started.add(pool.submit(() -> {
                    p.start(RUN_READY, Duration.ofMinutes(4));
                    return null;
                }));
            }
            for (Future<Void> f : started) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            processors.addAll(fresh); // stopped by close() even when one failed to start
        }
    }

    /** {@code lethe run} as an operator starts it against a shared cluster: one state directory per instance. */
    private ChildJvm processor(int i) throws java.io.IOException {
        String id = instanceId(i);
        Path home = cluster.work.resolve(id);
        copyModel(cluster.baseModel, home.resolve("models").resolve("mlp"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", cluster.bootstrap());
        env.put("LETHE_REGISTRY_URL", cluster.registryUrl());
        env.put("LETHE_ARTIFACTS_DIR", cluster.work.resolve("artifacts").toString());
        env.put("LETHE_APPLICATION_ID", applicationId);
        env.put("LETHE_TOPIC_PARTITIONS", Integer.toString(settings.partitions()));
        env.put("LETHE_TOPIC_REQUESTS", topics.requests());
        env.put("LETHE_TOPIC_REGISTRATIONS", topics.registrations());
        env.put("LETHE_TOPIC_VERSIONS", topics.versions());
        env.put("LETHE_TOPIC_AUDIT", topics.audit());
        env.put("LETHE_TOPIC_DEAD_LETTERS", topics.deadLetters());
        env.put("LETHE_NUM_STANDBY_REPLICAS", Integer.toString(settings.standbyReplicas()));
        env.put("LETHE_QUALITY_MAX_FORGET_ACCURACY", "1.0"); // a briefly trained MLP: every version publishes
        env.put("LETHE_SHUTDOWN_SECONDS", "60");
        env.put("LETHE_KAFKA_CLIENT_ID", id);
        env.put("LETHE_KAFKA_SESSION_TIMEOUT_MS", Integer.toString(settings.sessionTimeoutMs()));
        env.put("LETHE_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", Integer.toString(settings.transactionTimeoutMs()));
        return new ChildJvm(id, "1g", env, cluster.work.resolve(id + ".log"), "dev.lethe.cli.Main",
                "run", "--home", home.toString(), "--data", cluster.data.toString(), "--arch", "mlp",
                "--model-id", settings.name() + "-run-base", "--http-port", "0");
    }

    String instanceId(int i) {
        return settings.name() + "-instance-" + i;
    }

    /**
     * Registers {@code count} copies of the small MLP under ids chosen so that they fall on
     * different partitions of the requests topic (while partitions last): the work spreads over
     * the instances. Waits for each base version.
     */
    void registerModels(int count) throws Exception {
        Set<Integer> taken = new HashSet<>();
        for (int k = 0; models.size() < count; k++) {
            String id = settings.name() + "-m" + k;
            int partition = partitionOf(id);
            if (taken.size() < settings.partitions() && !taken.add(partition)) {
                continue;
            }
            ModelRegistration reg = BaseModel.register(id, cluster.baseModel, cluster.store, cluster.data);
            client.register(reg);
            models.put(id, reg);
            List<Integer> classes = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            Collections.shuffle(classes, random);
            classesLeft.put(id, classes);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!models.keySet().stream().allMatch(committed::hasModel)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("registrations not answered with base versions within 3 minutes");
            }
            Thread.sleep(50);
        }
    }

    int partitionOf(String modelId) {
        return Utils.toPositive(Utils.murmur2(modelId.getBytes(StandardCharsets.UTF_8))) % settings.partitions();
    }

    /** A valid request: the model forgets one more of its classes, in a seeded order. */
    DeletionRequest next(String modelId) {
        int n = published.size();
        int c = classesLeft.get(modelId).remove(0);
        return DeletionRequest.newBuilder().setRequestId(settings.name() + "-r" + n + "-" + modelId).setModelId(modelId)
                .setClassIndices(List.of(c)).setClassLabels(List.of()).setRequestedBy("lethe scale-out")
                .setReason("several instances, one cluster").setTenant("bench").setRequestedAt(Instant.now())
                .setAlphaR(null).setAlphaF(null).setExpectedParentVersion(null).build();
    }

    DeletionRequest publish(String modelId) throws Exception {
        DeletionRequest req = next(modelId);
        publishedAt.put(req.getRequestId(), System.nanoTime());
        client.request(req);
        published.add(req);
        return req;
    }

    /** One request for every model, interleaved, {@code first} (if not null) first. */
    List<DeletionRequest> publishRound(String first) throws Exception {
        List<String> order = new ArrayList<>(models.keySet());
        if (first != null) {
            order.remove(first);
            order.add(0, first);
        }
        List<DeletionRequest> out = new ArrayList<>();
        for (String m : order) {
            out.add(publish(m));
        }
        return out;
    }

    /** Waits until every published request has a committed answer (a version or a refusal). */
    void awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!published.stream().allMatch(r -> committed.answered(r.getRequestId()))) {
            if (System.nanoTime() > deadline) {
                List<String> open = published.stream().map(DeletionRequest::getRequestId)
                        .filter(id -> !committed.answered(id)).toList();
                throw new IllegalStateException("unanswered after " + timeout + ": " + open + " (logs in " + cluster.work + ")");
            }
            Thread.sleep(20);
        }
    }

    long publishedAtNanos(String requestId) {
        return publishedAt.get(requestId);
    }

    /** When the read_committed reader first saw the version answering {@code requestId} (nanoTime), or -1. */
    long committedAtNanos(String requestId) {
        TopicWatch.Seen s = committed.version(requestId);
        return s == null ? -1 : s.seenAtNanos();
    }

    /** The shortest time so far from publishing a request to seeing its version sent (read_uncommitted). */
    double quickestSecondsToSend() {
        double best = Double.MAX_VALUE;
        for (DeletionRequest r : published) {
            TopicWatch.Seen s = uncommitted.version(r.getRequestId());
            if (s != null && s.seenAtNanos() > publishedAt.get(r.getRequestId())) {
                best = Math.min(best, (s.seenAtNanos() - publishedAt.get(r.getRequestId())) / 1e9);
            }
        }
        return best == Double.MAX_VALUE ? 0.5 : best;
    }

    /** Index of the live instance whose stream thread holds the model's partition of the requests topic, or -1. */
    int owner(String modelId) throws Exception {
        int partition = partitionOf(modelId);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        try (Admin admin = Admin.create(p)) {
            var group = admin.describeConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS).get(applicationId);
            for (var member : group.members()) {
                boolean holds = member.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(topics.requests()) && tp.partition() == partition);
                for (int i = 0; holds && i < processors.size(); i++) {
                    if (member.clientId().startsWith(instanceId(i) + "-") && processors.get(i).alive()) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The read_committed verdict over the whole history; call after the instances stopped. */
    ChaosVerdict verdict() {
        return ChaosVerdict.check(cluster.bootstrap(), cluster.registry(), topics, models, published);
    }

    /** Every version rebuilt from its parent and request, compared bit for bit. */
    Replayer.Report replay() {
        return new Replayer(cluster.store).replay(HistoryReader.read(cluster.bootstrap(), cluster.registry(), topics),
                line -> { });
    }

    /** SIGTERM to every live instance, each given time for a clean close. */
    void stopAll() throws InterruptedException {
        for (ChildJvm p : processors) {
            p.stop(Duration.ofSeconds(70));
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stopAll();
        } finally {
            committed.close();
            uncommitted.close();
            client.close();
        }
    }

    private static void copyModel(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
