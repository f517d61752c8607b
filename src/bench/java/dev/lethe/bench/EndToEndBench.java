package dev.lethe.bench;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.app.Deployment;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Publish-to-consumed latency of deletion requests through a running deployment, against the
 * compute time the processor reports for the same requests. Each request forgets one class
 * of its own copy of the base model, so all of them find warm retain statistics; one
 * request of the same kind is run directly on a fresh engine (cold: no statistics) for scale.
 *
 * <p>After each version the engine captures that version's retain statistics and prepares the
 * sides of every single-class request on it, on one background thread (on the VGG, seconds of
 * CPU per version). Before each request the bench waits until that background is idle (at most
 * {@link #BACKGROUND_WAIT}), then for {@code pause}: the figures are those of a steady flow of
 * requests spaced so that each finds its version prepared (the warm path), not of a burst.
 */
public final class EndToEndBench {
    private EndToEndBench() { }

    /** One request as seen from outside (end to end) and inside (compute). */
    public record Sample(String requestId, int cls, double endToEndSeconds, double computeSeconds, boolean warm) { }

    /** The longest the bench waits for the engine's background before a request. */
    static final Duration BACKGROUND_WAIT = Duration.ofMinutes(3);

    /**
     * @param cacheBytesPerVersion what the engine kept of the base version (statistics and every
     *     class's prepared sides) once its background was idle
     */
    public record Result(List<Sample> samples, double coldComputeSeconds, long cacheBytesPerVersion) {
        public double medianEndToEnd() {
            return median(samples.stream().mapToDouble(Sample::endToEndSeconds).toArray());
        }

        public double medianCompute() {
            return median(samples.stream().mapToDouble(Sample::computeSeconds).toArray());
        }

        public double overheadRatio() {
            return (medianEndToEnd() - medianCompute()) / medianCompute();
        }
    }

    public static Result run(Deployment d, Client client, Path modelDir, Path dataDir, int requests,
                             Duration pause) throws Exception {
        String run = "bench-" + System.currentTimeMillis();
        List<ModelRegistration> models = new ArrayList<>();
        for (int i = 0; i <= requests; i++) {
            ModelRegistration reg = BaseModel.register(run + "-" + i, modelDir, d.store(), dataDir);
            client.register(reg);
            models.add(reg);
        }
        List<Sample> samples = new ArrayList<>();
        UnlearningService.Head baseHead = new UnlearningService.Head(0, models.get(0).getSha256(),
                models.get(0).getArtifactUri(), Set.of());
        long cached = 0;
        try (Client.Follower follower = client.follow()) {
            for (ModelRegistration reg : models) {
                follower.awaitHead(reg.getModelId(), Duration.ofMinutes(2));
            }
            // Request 0 warms the JIT and waits for the shared statistics; it is not counted.
            for (int i = 0; i <= requests; i++) {
                awaitBackground(d);
                if (i == 1) { // the base prepared for every class; measured before later requests retire it
                    cached = d.engine().cachedBytes(baseHead);
                }
                Thread.sleep(pause.toMillis());
                int cls = i % models.get(0).getClassLabels().size();
                Sample s = one(client, follower, models.get(i), cls);
                if (i > 0) {
                    samples.add(s);
                }
                System.err.printf("  request %d/%d: end to end %.2f s, compute %.2f s%n", i, requests,
                        s.endToEndSeconds(), s.computeSeconds());
            }
        }
        awaitBackground(d); // the cold request gets the machine to itself, like the warm ones
        return new Result(samples, cold(d, models.get(0), 1), cached);
    }

    private static void awaitBackground(Deployment d) throws InterruptedException {
        long deadline = System.nanoTime() + BACKGROUND_WAIT.toNanos();
        while (!d.engine().backgroundIdle() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static Sample one(Client client, Client.Follower follower, ModelRegistration reg, int cls) throws Exception {
        DeletionRequest req = DeletionRequest.newBuilder().setRequestId(reg.getModelId() + "-r").setModelId(reg.getModelId())
                .setClassIndices(List.of(cls)).setClassLabels(List.of()).setRequestedBy("lethe bench e2e")
                .setReason("benchmark").setTenant("bench").setRequestedAt(Instant.now()).setAlphaR(null).setAlphaF(null)
                .setExpectedParentVersion(null).build();
        long t0 = System.nanoTime();
        client.request(req);
        Client.Follower.Outcome o = follower.awaitRequest(req.getRequestId(), Duration.ofMinutes(10));
        double e2e = (System.nanoTime() - t0) / 1e9;
        ModelVersion v = o.version().orElseThrow(() -> new IllegalStateException("bench request refused: " + o.audit()));
        return new Sample(req.getRequestId(), cls, e2e, v.getComputeSeconds(), Boolean.TRUE.equals(v.getWarmRetainStatistics()));
    }

    /** The same kind of request on an engine that has never seen the model: retain statistics captured in the call. */
    private static double cold(Deployment d, ModelRegistration reg, int cls) {
        try (UnlearningService fresh = new UnlearningService(d.store(), Sampling.DEFAULT)) {
            // The same alphas and rank the processor's request used, so the two timings differ only in the cache.
            UnlearningService.Model m = dev.lethe.lineage.Versions.model(reg);
            UnlearningService.Head h = new UnlearningService.Head(0, reg.getSha256(), reg.getArtifactUri(), Set.of());
            return fresh.forget(m, h, Set.of(cls), null, Sampling.versionSeed(reg.getSha256())).computeSeconds();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
