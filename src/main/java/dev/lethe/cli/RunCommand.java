package dev.lethe.cli;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.app.Deployment;
import dev.lethe.data.FashionMnist;
import dev.lethe.ops.HealthServer;
import dev.lethe.ops.KafkaSettings;
import dev.lethe.ops.LetheMetrics;
import dev.lethe.ops.StreamsHealth;
import dev.lethe.ops.Termination;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = {"Run the stream processor (embedded Kafka and registry unless configured) until stopped.",
        "Serves GET /health/live, /health/ready and /metrics on lethe.http.bind:lethe.http.port (default 127.0.0.1:9400).",
        "SIGTERM or Ctrl-C: a clean close within lethe.shutdown.seconds (default 60), exit status 0."})
final class RunCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin StreamOptions stream;

    @Option(names = "--model-id", defaultValue = "fashion-vgg", description = "id to register the base model under (default: ${DEFAULT-VALUE})")
    String modelId;

    @Option(names = "--arch", defaultValue = "vgg", description = "base model architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "port of the health and metrics endpoints (overrides lethe.http.port / LETHE_HTTP_PORT; 0: any free port)")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        StreamConfig config = stream.load();
        if (httpPort != null) {
            config = config.with(StreamConfig.HTTP_PORT, Integer.toString(httpPort));
        }
        System.err.println("lethe: settings " + config.describe());
        System.err.println("lethe: native threads " + dev.lethe.ops.NativeThreads.configure().describe());
        LetheMetrics.nativeThreads(dev.lethe.ops.NativeThreads::current);
        StreamsHealth health = new StreamsHealth();
        Termination stop = Termination.install(Duration.ofSeconds(config.getInt(StreamConfig.SHUTDOWN_SECONDS)),
                health::shutdownRequested);
        Path modelDir = stream.baseModel(common, arch);
        Path data = FashionMnist.locate(common.data);
        try (HealthServer http = HealthServer.start(config.get(StreamConfig.HTTP_BIND), config.getInt(StreamConfig.HTTP_PORT),
                health)) {
            System.err.printf("lethe: health and metrics on http://%s:%d/health/ready and /metrics%n",
                    config.get(StreamConfig.HTTP_BIND), http.port());
            return serve(config, modelDir, data, health, stop);
        }
    }

    private int serve(StreamConfig config, Path modelDir, Path data, StreamsHealth health, Termination stop)
            throws Exception {
        AtomicReference<AutoCloseable> kafkaMetrics = new AtomicReference<>();
        Deployment d = Deployment.start(stream.home(), config, streams -> {
            health.watch(streams);
            kafkaMetrics.set(LetheMetrics.bind(streams));
        });
        boolean clean;
        try {
            try (Client client = new Client(d.config().get(StreamConfig.BOOTSTRAP), d.registry(), d.config().topics())) {
                client.register(BaseModel.register(modelId, modelDir, d.store(), data));
            }
            System.err.printf("lethe: processing deletion requests (Kafka %s, registry %s). Model '%s' is registered.%n",
                    d.config().get(StreamConfig.BOOTSTRAP), KafkaSettings.maskUrl(d.config().get(StreamConfig.REGISTRY)),
                    modelId);
            System.err.printf("lethe: try  bin/lethe request --model %s --class Shirt   (Ctrl-C stops)%n", modelId);
            stop.await();
        } finally {
            clean = d.close(stop.closeTimeout());
            if (kafkaMetrics.get() != null) {
                kafkaMetrics.get().close();
            }
        }
        System.err.println(clean ? "lethe: stopped cleanly" : "lethe: Kafka Streams did not close in time; its open "
                + "transaction aborts and the request in it is redone by the next instance");
        return clean ? 0 : 1;
    }
}
