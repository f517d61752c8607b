package dev.lethe.cli;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.app.Deployment;
import dev.lethe.data.FashionMnist;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Run the stream processor (embedded Kafka and registry unless configured) until stopped.")
final class RunCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin StreamOptions stream;

    @Option(names = "--model-id", defaultValue = "fashion-vgg", description = "id to register the base model under (default: ${DEFAULT-VALUE})")
    String modelId;

    @Option(names = "--arch", defaultValue = "vgg", description = "base model architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Override
    public Integer call() throws Exception {
        Path modelDir = stream.baseModel(common, arch);
        Path data = FashionMnist.locate(common.data);
        CountDownLatch stop = new CountDownLatch(1);
        try (Deployment d = Deployment.start(stream.home(), stream.load());
             Client client = new Client(d.config().get(StreamConfig.BOOTSTRAP), d.registry(), d.config().topics())) {
            client.register(BaseModel.register(modelId, modelDir, d.store(), data));
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "lethe-stop"));
            System.err.printf("lethe: processing deletion requests (Kafka %s, registry %s). Model '%s' is registered.%n",
                    d.config().get(StreamConfig.BOOTSTRAP), d.config().get(StreamConfig.REGISTRY), modelId);
            System.err.printf("lethe: try  bin/lethe request --model %s --class Shirt   (Ctrl-C stops)%n", modelId);
            stop.await();
            System.err.println("lethe: stopping");
        }
        return 0;
    }
}
