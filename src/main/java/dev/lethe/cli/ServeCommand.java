package dev.lethe.cli;

import dev.lethe.embedded.Endpoints;
import dev.lethe.events.ModelRegistration;
import dev.lethe.ops.Termination;
import dev.lethe.replay.History;
import dev.lethe.replay.HistoryReader;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.serving.ModelHolder;
import dev.lethe.serving.PredictionServer;
import dev.lethe.serving.VersionFollower;
import dev.lethe.store.ArtifactStore;
import dev.lethe.store.ArtifactStores;
import dev.lethe.stream.StreamConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "A serving instance: follows a model's versions (read_committed), verifies and "
        + "swaps each in atomically, answers predictions over HTTP (POST /predict, GET /version, GET /metrics, "
        + "GET /health/live, GET /health/ready).")
final class ServeCommand implements Callable<Integer> {
    @Mixin StreamOptions stream;

    @Option(names = "--model", required = true) String model;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}), on the address lethe.http.bind / LETHE_HTTP_BIND (default 127.0.0.1)")
    int port;

    @Override
    public Integer call() throws Exception {
        Endpoints e = stream.endpoints();
        StreamConfig config = stream.load();
        RestSchemaRegistry registry = config.registryClient(e.registryUrl());
        String bind = config.get(StreamConfig.HTTP_BIND);
        History history = HistoryReader.read(e.bootstrapServers(), registry, config.topics());
        ModelRegistration reg = history.registrations().get(model);
        if (reg == null) {
            throw new IllegalArgumentException("model '" + model + "' is not registered (known: "
                    + history.registrations().keySet() + ")");
        }
        // The processor's store: every artifact URI in a version event must resolve here.
        ArtifactStore store = config.openArtifactStore();
        System.err.println("lethe serve: artifacts in " + ArtifactStores.describe(store));
        // SIGTERM: stop following, close the server, exit 0 (not the JVM's 143 with closing still under way).
        Termination stop = Termination.install(Duration.ofSeconds(config.getInt(StreamConfig.SHUTDOWN_SECONDS)), () -> { });
        try (store; ModelHolder holder = new ModelHolder(reg.getArchitecture(), store);
             VersionFollower follower = new VersionFollower(e.bootstrapServers(), registry, config.topics().versions(),
                     model, v -> holder.offer(v).ifPresentOrElse(
                             why -> System.err.println("lethe serve: " + why),
                             () -> System.err.printf("lethe serve: now serving %s version %d (%s...)%n", model,
                                     v.getVersion(), v.getSha256().substring(0, 12))));
             PredictionServer server = new PredictionServer(holder, reg.getClassLabels(), dev.lethe.data.ImageShape.FASHION_MNIST,
                     new InetSocketAddress(bind, port), follower::alive)) {
            System.err.printf("lethe serve: http://%s:%d/predict (POST a 28x28 image), /version, /metrics, /health/ready%n",
                    bind, server.port());
            stop.await();
        }
        return 0;
    }
}
