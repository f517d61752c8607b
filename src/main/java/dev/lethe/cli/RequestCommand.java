package dev.lethe.cli;

import dev.lethe.app.Client;
import dev.lethe.embedded.Endpoints;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.DeletionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "request", description = "Publish a deletion request and wait for its model version (or its rejection).")
final class RequestCommand implements Callable<Integer> {
    @Mixin StreamOptions stream;

    @Option(names = "--model", required = true) String model;

    @Option(names = "--class", required = true, paramLabel = "C", description = "index or label; repeatable")
    List<String> classes;

    @Option(names = "--id", description = "request id, the idempotency key (default: a random UUID)") String id;

    @Option(names = "--alpha-r") Double alphaR;

    @Option(names = "--alpha-f") Double alphaF;

    @Option(names = "--expected-parent", description = "reject unless the model's head is this version") Long parent;

    @Option(names = "--requested-by", defaultValue = "${sys:user.name}") String requestedBy;

    @Option(names = "--reason", defaultValue = "erasure request") String reason;

    @Option(names = "--tenant", defaultValue = "default") String tenant;

    @Option(names = "--no-wait", description = "publish and return") boolean noWait;

    @Override
    public Integer call() throws Exception {
        Endpoints e = stream.endpoints();
        DeletionRequest req = build();
        try (Client client = new Client(e.bootstrapServers(), stream.load().registryClient(e.registryUrl()), stream.load().topics());
             Client.Follower follower = client.follow()) {
            client.request(req);
            System.err.println("published request " + req.getRequestId());
            if (noWait) {
                return 0;
            }
            Client.Follower.Outcome o = follower.awaitRequest(req.getRequestId(), Duration.ofMinutes(10));
            if (o.version().isPresent()) {
                System.out.println(dev.lethe.serde.AvroJson.toJson(o.version().get()));
                return 0;
            }
            System.out.println(dev.lethe.serde.AvroJson.toJson(o.audit()));
            return o.audit().getDecision() == AuditDecision.DUPLICATE ? 0 : 3;
        }
    }

    private DeletionRequest build() {
        List<Integer> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String c : classes) {
            if (c.trim().matches("\\d+")) {
                indices.add(Integer.parseInt(c.trim()));
            } else {
                labels.add(c.trim());
            }
        }
        return DeletionRequest.newBuilder().setRequestId(id != null ? id : UUID.randomUUID().toString())
                .setModelId(model).setClassIndices(indices).setClassLabels(labels).setRequestedBy(requestedBy)
                .setReason(reason).setTenant(tenant).setRequestedAt(Instant.now()).setAlphaR(alphaR).setAlphaF(alphaF)
                .setExpectedParentVersion(parent).build();
    }
}
