package dev.lethe.cli;

import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.data.FashionMnist;
import dev.lethe.embedded.Endpoints;
import dev.lethe.events.ModelRegistration;
import dev.lethe.model.ModelFiles;
import dev.lethe.serde.AvroJson;
import dev.lethe.store.ArtifactStore;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "register", description = {
        "Register a model directory with a running processor: its weights go to the artifact store, its labels, "
                + "tuned alphas and data spec (data.json, if it has one) into a registration.",
        "Prints version 0 as JSON, or the reason the processor refused it (exit status 3)."})
final class RegisterCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin StreamOptions stream;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model directory (train, import, forget)")
    Path model;

    @Option(names = "--model-id", required = true, paramLabel = "ID", description = "the id requests name the model by")
    String modelId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long to wait for the processor's answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Endpoints e = stream.endpoints();
        StreamConfig config = stream.load();
        Path fashionMnist = ModelFiles.readData(model).isPresent() ? Path.of(FashionMnist.DEFAULT_DIR)
                : FashionMnist.locate(common.data);
        ModelRegistration reg;
        // Weights go where the processor reads artifacts: the configured store (the embedded one under --home).
        try (ArtifactStore store = config.openArtifactStore()) {
            reg = BaseModel.register(modelId, model, store, fashionMnist);
        }
        try (Client client = new Client(e.bootstrapServers(), config.registryClient(e.registryUrl()), config.topics());
             Client.Follower follower = client.follow()) {
            RecordMetadata sent = client.register(reg);
            System.err.printf("published the registration of %s (%s, sha256 %s)%n", modelId, model, reg.getSha256());
            Client.Follower.Outcome o = follower.awaitRegistration(modelId, sent, Duration.ofSeconds(timeoutSeconds));
            if (o.version().isPresent()) {
                System.out.println(AvroJson.toJson(o.version().get()));
                return 0;
            }
            System.out.println(AvroJson.toJson(o.audit()));
            return 3;
        }
    }
}
