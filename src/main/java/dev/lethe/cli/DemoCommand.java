package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.app.BaseModel;
import dev.lethe.app.Client;
import dev.lethe.app.Deployment;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.serde.AvroJson;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "The whole story: start Kafka and the registry, register a model, "
        + "publish a deletion request, show the model-version event and before/after accuracies, stop.")
final class DemoCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin StreamOptions stream;

    @Option(names = "--arch", defaultValue = "vgg", description = "default: ${DEFAULT-VALUE}") String arch;

    @Option(names = "--class", defaultValue = "Shirt",
            description = "class to forget, index or label (default: ${DEFAULT-VALUE}, the hardest look-alike)")
    String forgetClass;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        Path modelDir = stream.baseModel(common, arch);
        Splits splits = common.splits();
        Path data = FashionMnist.locate(common.data);
        String modelId = "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        try (Deployment d = Deployment.start(stream.home(), stream.load());
             Client client = new Client(d.config().get(StreamConfig.BOOTSTRAP), d.registry(), d.config().topics());
             Client.Follower follower = client.follow()) {
            ModelRegistration reg = BaseModel.register(modelId, modelDir, d.store(), data);
            int cls = Common.classIndex(forgetClass, reg.getClassLabels());
            client.register(reg);
            ModelVersion base = follower.awaitHead(modelId, Duration.ofMinutes(2));
            progress("registered model %s (version %d, sha256 %s...)", modelId, base.getVersion(), base.getSha256().substring(0, 12));
            DeletionRequest req = DeletionRequest.newBuilder().setRequestId(modelId + "-forget-" + cls).setModelId(modelId)
                    .setClassIndices(List.of(cls)).setClassLabels(List.of()).setRequestedBy("lethe demo")
                    .setReason("demonstration").setTenant("demo").setRequestedAt(Instant.now())
                    .setAlphaR(null).setAlphaF(null).setExpectedParentVersion(base.getVersion()).build();
            long t0 = System.nanoTime();
            client.request(req);
            progress("published a deletion request: forget class %d (%s)", cls, reg.getClassLabels().get(cls));
            Client.Follower.Outcome outcome = follower.awaitRequest(req.getRequestId(), Duration.ofMinutes(10));
            double e2e = (System.nanoTime() - t0) / 1e9;
            ModelVersion v = outcome.version().orElseThrow(() -> new IllegalStateException(
                    "the request was not accepted: " + outcome.audit()));
            ClassAccuracy before = accuracy(d.store().get(base.getArtifactUri()), reg.getArchitecture(), splits);
            ClassAccuracy after = accuracy(d.store().get(v.getArtifactUri()), reg.getArchitecture(), splits);
            report(v, before, after, e2e, reg.getClassLabels());
        }
        return 0;
    }

    private ClassAccuracy accuracy(byte[] weights, String architecture, Splits splits) {
        try (NDManager m = common.manager(); Network net = Architecture.parse(architecture).create(m, 0)) {
            ModelFiles.loadSafetensors(net, weights);
            return Evaluation.accuracy(net, splits.test());
        }
    }

    private void report(ModelVersion v, ClassAccuracy before, ClassAccuracy after, double e2e, List<String> labels)
            throws Exception {
        Set<Integer> gone = new TreeSet<>(v.getForgottenClasses());
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("model_version", new ObjectMapper().readTree(AvroJson.toJson(v)));
            o.set("before", ForgetReport.accuracies(before, gone));
            o.set("after", ForgetReport.accuracies(after, gone));
            o.put("end_to_end_seconds", e2e);
            o.put("compute_seconds", v.getComputeSeconds());
            System.out.println(o.toString());
            return;
        }
        System.out.println("model-version event (read_committed from the versions topic):");
        System.out.println(new ObjectMapper().readTree(AvroJson.toJson(v)).toPrettyString());
        System.out.println();
        System.out.print(ClassAccuracy.comparison(before, after, labels, gone));
        System.out.printf("end to end (publish -> version consumed) %.2f s, of which the processor computed %.2f s%n",
                e2e, v.getComputeSeconds());
    }

    private void progress(String format, Object... args) {
        System.err.printf("lethe demo: " + format + "%n", args);
    }
}
