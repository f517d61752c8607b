package dev.lethe.replay;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.InMemorySchemaRegistry;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.ArtifactStore;
import dev.lethe.stream.LetheTopology;
import dev.lethe.stream.Safeguards;
import dev.lethe.lineage.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A real history for tests: an MLP registered, then one request per class, through the real processor and engine. */
public final class RecordedHistory {
    private RecordedHistory() { }

    public static History record(ArtifactStore store, Path data, List<Integer> classes) throws Exception {
        ArtifactRef base;
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 9)) {
            base = store.put(ModelFiles.weightBytes(net));
        }
        ModelRegistration reg = ModelRegistration.newBuilder().setModelId("m").setArtifactUri(base.uri())
                .setSha256(base.sha256()).setFormat("safetensors").setArchitecture("mlp")
                .setClassLabels(FashionMnist.LABELS).setSampleBankUri(data.toString()).setSampleBankSha256(null)
                .setDefaultAlphaR(100).setDefaultAlphaF(3).setRegisteredAt(Instant.ofEpochMilli(0)).build();
        History history = new History();
        history.add(reg);
        AvroSerdes serdes = AvroSerdes.with(new InMemorySchemaRegistry());
        Topics topics = Topics.DEFAULT;
        ExecutorService background = Executors.newSingleThreadExecutor();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "recorded-history");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT);
             // The MLP is untrained, so what it "forgets" measures nothing: no quality gate (1.0).
             TopologyTestDriver driver = new TopologyTestDriver(LetheTopology.build(topics, serdes, engine, background,
                     new Safeguards(Safeguards.DEFAULT_MAX_MESSAGE_BYTES, 1.0)), p)) {
            driver.createInputTopic(topics.registrations(), Serdes.String().serializer(),
                    serdes.valueSerde(ModelRegistration.class).serializer()).pipeInput("m", reg);
            TestInputTopic<String, DeletionRequest> requests = driver.createInputTopic(topics.requests(),
                    Serdes.String().serializer(), serdes.valueSerde(DeletionRequest.class).serializer());
            for (int c : classes) {
                DeletionRequest r = DeletionRequest.newBuilder().setRequestId("req-" + c).setModelId("m")
                        .setClassIndices(List.of(c)).setClassLabels(List.of()).setRequestedBy("t").setReason("t")
                        .setTenant("t").setRequestedAt(Instant.ofEpochMilli(c)).setAlphaR(null).setAlphaF(null)
                        .setExpectedParentVersion(null).build();
                requests.pipeInput("m", r);
                history.add(r);
            }
            driver.createOutputTopic(topics.versions(), Serdes.String().deserializer(),
                    serdes.valueSerde(ModelVersion.class).deserializer()).readValuesToList().forEach(history::add);
        } finally {
            background.shutdownNow();
            // The engine is closed by now; the service waited for a capture still running on this thread.
            background.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        return history;
    }
}
