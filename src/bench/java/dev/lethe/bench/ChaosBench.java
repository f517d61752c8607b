package dev.lethe.bench;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.engine.Evaluation;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import dev.lethe.replay.HistoryReader;
import dev.lethe.replay.Replayer;
import dev.lethe.serde.EmbeddedRegistry;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.lineage.Topics;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The chaos bench: one broker (a JVM of its own, SIGKILLed and restarted once mid-run), one
 * schema registry, M processors ({@code lethe run} in JVMs of their own, one application id,
 * each with its own state directory, one shared artifact directory), N valid deletion requests
 * over several copies of a small MLP, and K SIGKILLs of a processor at seeded moments, each
 * followed by a restart. Half the kills aim at a request being computed, half at a version
 * that has been sent but whose transaction has not committed yet; {@link Kill#phase} says which
 * moment each one actually hit, from what the topics show (see {@link #killMidCommit}).
 */
public final class ChaosBench {
    /** Requests per model: each forgets one more class, so a model's chain grows to this many versions. */
    static final int REQUESTS_PER_MODEL = 5;
    /** Wider than Lethe's 100 ms so that a version waits long enough, sent but uncommitted, for a kill to land. */
    static final int COMMIT_INTERVAL_MS = 1000;
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);
    private static final String RUN_READY = "lethe: processing deletion requests";

    record Options(int requests, int kills, int instances, long seed, boolean brokerRestart, double maxForgetAccuracy,
                   Path work, Path data, boolean replay, boolean staticMembership, boolean keepData) { }

    /** One SIGKILL: whom, when, what it interrupted, how long until everything published before it was answered. */
    record Kill(int index, String instance, String aimedAt, String requestId, double secondsAfterPublish,
                String sentAt, double recoverySeconds, String phase) {
        Kill withPhase(String p) {
            return new Kill(index, instance, aimedAt, requestId, secondsAfterPublish, sentAt, recoverySeconds, p);
        }
    }

    record Result(Options options, ChaosVerdict verdict, long replayMismatches, long replayed, List<Kill> kills,
                  double brokerRecoverySeconds, double wallSeconds, int partitions) {
        double maxRecoverySeconds() {
            return kills.stream().mapToDouble(Kill::recoverySeconds).max().orElse(0);
        }
    }

    private final Options o;
    private final Random random;
    private final Topics topics = Topics.DEFAULT;
    private final List<ChildJvm> processors = new ArrayList<>();
    private final List<DeletionRequest> published = new ArrayList<>();
    private final Map<String, ModelRegistration> models = new LinkedHashMap<>();
    private ChildJvm broker;
    private String bootstrap;
    private RestSchemaRegistry registry;
    private TopicWatch committed;
    private TopicWatch uncommitted;
    private int partitions;
    private String registryUrl;
    private final Map<String, Long> publishedAt = new java.util.concurrent.ConcurrentHashMap<>();

    private ChaosBench(Options o) {
        this.o = o;
        this.random = new Random(o.seed());
    }

    static Result run(Options o) throws Exception {
        return new ChaosBench(o).run();
    }

    private Result run() throws Exception {
        long t0 = System.nanoTime();
        // The broker's restart makes every client warn about each refused connection until it is back.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        Files.createDirectories(o.work());
        Path modelDir = trainSmallMlp(o.work().resolve("base-mlp"), o.data());
        int port = freePort();
        bootstrap = "127.0.0.1:" + port;
        broker = new ChildJvm("broker", "768m", Map.of(), o.work().resolve("broker.log"), ChaosBrokerMain.class.getName(),
                o.work().resolve("kafka").toString(), Integer.toString(port));
        broker.start(ChaosBrokerMain.READY, Duration.ofMinutes(2));
        try {
            return measureWithRegistry(modelDir, t0);
        } finally {
            broker.stop(Duration.ofSeconds(30)); // also when the registry did not start
            if (!o.keepData()) {
                deleteDataDirectories(o.work());
            }
        }
    }

    private Result measureWithRegistry(Path modelDir, long t0) throws Exception {
        try (EmbeddedRegistry reg = EmbeddedRegistry.start(EmbeddedStack.locateApicurio(), o.work().resolve("registry"),
                EmbeddedRegistry.Storage.MEMORY)) {
            registryUrl = reg.ccompatUrl();
            registry = new RestSchemaRegistry(registryUrl);
            try {
                return measure(modelDir, t0);
            } finally {
                for (ChildJvm p : processors) {
                    p.stop(Duration.ofSeconds(30));
                }
                broker.stop(Duration.ofSeconds(30));
            }
        }
    }

    /** A run leaves gigabytes (broker log, artifacts, state stores); only the logs are kept unless asked. */
    /** Removes the broker's log, artifacts and state stores under {@code work}; its log files stay. */
    static void deleteDataDirectories(Path work) throws IOException {
        try (var entries = Files.list(work)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (Files.isDirectory(p)) {
                    org.apache.kafka.common.utils.Utils.delete(p.toFile());
                }
            }
        }
    }

    private Result measure(Path modelDir, long t0) throws Exception {
        partitions = Math.max(2, o.instances());
        for (int i = 0; i < o.instances(); i++) {
            ChildJvm p = processor(i, modelDir);
            p.start(RUN_READY, Duration.ofMinutes(3));
            processors.add(p);
        }
        DirectoryArtifactStore store = new DirectoryArtifactStore(o.work().resolve("artifacts"));
        int modelCount = (o.requests() + REQUESTS_PER_MODEL - 1) / REQUESTS_PER_MODEL;
        List<Kill> kills = new ArrayList<>();
        double brokerRecovery = 0;
        try (Client client = new Client(bootstrap, registry, topics)) {
            for (int m = 0; m < modelCount; m++) {
                ModelRegistration reg = BaseModel.register("chaos-" + o.seed() + "-m" + m, modelDir, store, o.data());
                client.register(reg);
                models.put(reg.getModelId(), reg);
            }
            committed = new TopicWatch(bootstrap, registry, topics, true);
            uncommitted = new TopicWatch(bootstrap, registry, topics, false);
            awaitBaseVersions();
            List<DeletionRequest> plan = plan(modelCount);
            TreeSet<Integer> killAfter = killMoments();
            int brokerRestartAt = o.brokerRestart() ? o.requests() / 2 : -1;
            boolean midCommitFirst = random.nextBoolean();
            for (int i = 0; i < plan.size(); i++) {
                if (i == brokerRestartAt) {
                    brokerRecovery = restartBroker(client, plan.get(i));
                    continue;
                }
                if (killAfter.contains(i)) {
                    boolean midCommit = (kills.size() % 2 == 0) == midCommitFirst;
                    kills.add(killOne(client, plan.get(i), kills.size(), midCommit));
                    continue;
                }
                awaitWindow(o.instances() + 1);
                publish(client, plan.get(i));
            }
            awaitWindow(1);
        } finally {
            if (committed != null) {
                committed.close();
                uncommitted.close();
            }
        }
        for (ChildJvm p : processors) {
            p.stop(Duration.ofSeconds(60)); // SIGTERM: open transactions commit or abort before the reading starts
        }
        ChaosVerdict verdict = ChaosVerdict.check(bootstrap, registry, topics, models, published);
        kills.replaceAll(k -> confirm(k, verdict));
        long mismatches = -1;
        long replayed = 0;
        if (o.replay()) {
            Replayer.Report report = new Replayer(new DirectoryArtifactStore(o.work().resolve("artifacts")))
                    .replay(HistoryReader.read(bootstrap, registry, topics), line -> { });
            mismatches = report.mismatches();
            replayed = report.lines().size();
        }
        return new Result(o, verdict, mismatches, replayed, kills, brokerRecovery, (System.nanoTime() - t0) / 1e9, partitions);
    }

    /** {@code lethe run} as an operator starts it against a shared cluster, one state directory per instance. */
    private ChildJvm processor(int i, Path modelDir) throws IOException {
        Path home = o.work().resolve("instance-" + i);
        copyModel(modelDir, home.resolve("models").resolve("mlp"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", bootstrap);
        env.put("LETHE_REGISTRY_URL", registryUrl);
        env.put("LETHE_ARTIFACTS_DIR", o.work().resolve("artifacts").toString());
        env.put("LETHE_TOPIC_PARTITIONS", Integer.toString(partitions));
        env.put("LETHE_QUALITY_MAX_FORGET_ACCURACY", Double.toString(o.maxForgetAccuracy()));
        env.put("LETHE_SHUTDOWN_SECONDS", "30");
        env.put("LETHE_KAFKA_CLIENT_ID", "chaos-instance-" + i);
        if (o.staticMembership()) {
            // As a StatefulSet would: a restarted instance takes its partitions back at once instead of
            // waiting for the group to time the dead member out (session.timeout.ms, 45 s).
            env.put("LETHE_KAFKA_GROUP_INSTANCE_ID", "chaos-instance-" + i);
        }
        env.put("LETHE_KAFKA_COMMIT_INTERVAL_MS", Integer.toString(COMMIT_INTERVAL_MS));
        // A killed instance's open transaction blocks read_committed readers until it is aborted:
        // by the restarted instance's producer (same state directory, same transactional id), or
        // at the latest by this timeout, well above one request's compute time on a small MLP.
        env.put("LETHE_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "30000");
        return new ChildJvm("processor-" + i, "1g", env, o.work().resolve("instance-" + i + ".log"), "dev.lethe.cli.Main",
                "run", "--home", home.toString(), "--data", o.data().toString(), "--arch", "mlp",
                "--model-id", "chaos-run-base", "--http-port", "0");
    }


    /** Request i: model i mod M, the next of that model's classes in a seeded order, so every request is valid. */
    private List<DeletionRequest> plan(int modelCount) {
        List<List<Integer>> classes = new ArrayList<>();
        for (int m = 0; m < modelCount; m++) {
            List<Integer> c = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            Collections.shuffle(c, random);
            classes.add(c);
        }
        List<String> ids = new ArrayList<>(models.keySet());
        List<DeletionRequest> plan = new ArrayList<>();
        for (int i = 0; i < o.requests(); i++) {
            int m = i % modelCount;
            plan.add(DeletionRequest.newBuilder().setRequestId("chaos-" + o.seed() + "-r" + i).setModelId(ids.get(m))
                    .setClassIndices(List.of(classes.get(m).get(i / modelCount))).setClassLabels(List.of())
                    .setRequestedBy("lethe bench chaos").setReason("chaos bench").setTenant("bench")
                    .setRequestedAt(Instant.now()).setAlphaR(null).setAlphaF(null).setExpectedParentVersion(null).build());
        }
        return plan;
    }

    /** K distinct request indexes, seeded, never the first request nor the broker's restart. */
    private TreeSet<Integer> killMoments() {
        int brokerAt = o.brokerRestart() ? o.requests() / 2 : -1;
        int room = o.requests() - 1 - (brokerAt > 0 ? 1 : 0);
        if (o.kills() > room) {
            throw new IllegalArgumentException("--kills " + o.kills() + " needs at least " + (o.kills() + 2) + " requests");
        }
        TreeSet<Integer> at = new TreeSet<>();
        while (at.size() < o.kills()) {
            int i = 1 + random.nextInt(o.requests() - 1);
            if (i != brokerAt) {
                at.add(i);
            }
        }
        return at;
    }

    /** Every model's base version committed: a request never races its model's registration. */
    private void awaitBaseVersions() throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (!models.keySet().stream().allMatch(committed::hasModel)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("registrations not answered with base versions within " + ANSWER_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private void publish(Client client, DeletionRequest req) throws Exception {
        publishedAt.put(req.getRequestId(), System.nanoTime());
        client.request(req);
        published.add(req);
    }

    /** Waits until fewer than {@code window} published requests lack a committed answer; false after the timeout. */
    private boolean awaitWindow(int window) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (published.stream().filter(r -> !committed.answered(r.getRequestId())).count() >= window) {
            if (System.nanoTime() > deadline) {
                System.err.println("chaos: requests unanswered after " + ANSWER_TIMEOUT + "; the verdict will count them");
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * One SIGKILL while {@code req} is the only work in flight. Aimed mid-commit: the kill follows
     * the moment a read_uncommitted reader sees the request's version, which the processor sends
     * inside its transaction and commits up to {@link #COMMIT_INTERVAL_MS} later. Aimed
     * mid-compute: the kill falls at a seeded point before the moment an idle processor usually
     * sends its version. Which one it hit is settled afterwards by {@link #confirm}.
     */
    private Kill killOne(Client client, DeletionRequest req, int index, boolean midCommit) throws Exception {
        awaitWindow(1);
        double usual = usualSecondsToVersion();
        ChildJvm victim = owner(req.getModelId());
        publish(client, req);
        long published = publishedAt.get(req.getRequestId());
        if (midCommit) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (uncommitted.version(req.getRequestId()) == null && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // not a spin: the processor needs the cores
            }
        } else {
            // A seeded point between the poll (milliseconds after publishing) and the version's send.
            long delayNanos = (long) (usual * (0.1 + 0.6 * random.nextDouble()) * 1e9);
            while (System.nanoTime() - published < delayNanos) {
                Thread.sleep(1);
            }
        }
        long killed = victim.kill();
        TopicWatch.Seen sent = uncommitted.version(req.getRequestId());
        String sentAt = sent != null && sent.seenAtNanos() < killed ? sent.partition() + ":" + sent.offset() : null;
        System.err.printf("chaos: kill %d of %s (aimed %s) %.2f s after publishing %s (usually sent after %.2f s)%n", index + 1,
                victim.name(), midCommit ? "mid-commit" : "mid-compute", (killed - published) / 1e9, req.getRequestId(), usual);
        victim.start(RUN_READY, Duration.ofMinutes(3));
        awaitWindow(1);
        return new Kill(index, victim.name(), midCommit ? "mid-commit" : "mid-compute", req.getRequestId(),
                (killed - published) / 1e9, sentAt, (System.nanoTime() - killed) / 1e9, null);
    }

    /**
     * What the kill interrupted, from the topics: a version sent before the kill whose record was
     * aborted (seen with read_uncommitted, absent with read_committed) was killed mid-commit; one
     * sent and committed was killed after its commit; none sent, before any output (computing).
     */
    private static Kill confirm(Kill k, ChaosVerdict v) {
        if (v.abortedRequests.contains(k.requestId()) || (k.sentAt() != null && v.abortedOffsets.contains(k.sentAt()))) {
            return k.withPhase("mid-commit");
        }
        return k.withPhase(k.sentAt() != null ? "after-commit" : "mid-compute");
    }

    /**
     * How long an idle processor takes from a request's publication to sending its version: the
     * shortest time the read_uncommitted reader saw so far (0.5 s before there is any). Requests
     * that queued behind others took longer, and so did most in a run with two processors on two
     * cores: measured, neither the versions' reported compute time nor the lower quartile of these
     * times was short enough, and kills aimed with them mostly found the version sent or committed.
     */
    private double usualSecondsToVersion() {
        double best = Double.MAX_VALUE;
        for (DeletionRequest r : published) {
            TopicWatch.Seen seen = uncommitted.version(r.getRequestId());
            Long at = publishedAt.get(r.getRequestId());
            if (seen != null && at != null && seen.seenAtNanos() > at) {
                best = Math.min(best, (seen.seenAtNanos() - at) / 1e9);
            }
        }
        return best == Double.MAX_VALUE ? 0.5 : best;
    }

    /** The instance whose stream thread holds the model's partition of the requests topic (any, if unknown). */
    private ChildJvm owner(String modelId) {
        int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                modelId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            var group = admin.describeConsumerGroups(List.of("lethe-unlearner")).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get("lethe-unlearner");
            for (var member : group.members()) {
                boolean holds = member.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(topics.requests()) && tp.partition() == partition);
                for (int i = 0; i < processors.size(); i++) {
                    if (holds && member.clientId().startsWith("chaos-instance-" + i + "-")) {
                        return processors.get(i);
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("chaos: cannot tell which instance holds partition " + partition + " (" + e + "); killing any");
        }
        return processors.get(random.nextInt(processors.size()));
    }

    /** SIGKILL of the broker while idle, a restart on the same port and log directory, then one request through. */
    private double restartBroker(Client client, DeletionRequest req) throws Exception {
        awaitWindow(1);
        long killed = broker.kill();
        System.err.println("chaos: broker killed (SIGKILL); restarting it");
        broker.start(ChaosBrokerMain.READY, Duration.ofMinutes(2));
        publish(client, req);
        awaitWindow(1);
        return (System.nanoTime() - killed) / 1e9;
    }

    /** A small MLP, trained briefly (6,000 images, 2 epochs): the bench measures recovery, not accuracy. */
    public static Path trainSmallMlp(Path dir, Path data) throws Exception {
        if (Files.exists(dir.resolve(ModelFiles.MANIFEST))) {
            return dir;
        }
        Splits splits = FashionMnist.load(data);
        int[] first = new int[6000];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Training.Recipe recipe = new Training.Recipe(2, 64, 2e-3, 3);
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 3)) {
            Training.train(net, splits.train().select(first), recipe, Training.Progress.NONE);
            ClassAccuracy acc = Evaluation.accuracy(net, splits.test());
            List<Double> per = new ArrayList<>();
            for (double v : acc.perClass()) {
                per.add(v);
            }
            ModelFiles.write(dir, net, Manifest.of(Architecture.MLP, FashionMnist.LABELS, recipe,
                    new Manifest.Accuracy(acc.overall(), per), "lethe bench chaos"));
        }
        return dir;
    }

    private static void copyModel(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
