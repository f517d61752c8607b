package dev.lethe.lineage;

import dev.lethe.data.DataException;
import dev.lethe.data.DataSpec;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.events.UnlearningParameters;
import dev.lethe.events.VersionMetrics;
import dev.lethe.lineage.Parameters;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds model-version events, and the engine's view of a model and its head. */
public final class Versions {
    private Versions() { }

    /** Version 0: the registered weights, the root of the lineage chain. */
    public static ModelVersion base(ModelRegistration reg, Instant at) {
        return ModelVersion.newBuilder()
                .setModelId(reg.getModelId()).setVersion(0).setParentVersion(null)
                .setArtifactUri(reg.getArtifactUri()).setSha256(reg.getSha256()).setFormat(reg.getFormat())
                .setForgottenClasses(List.of()).setForgottenLabels(List.of()).setRequestIds(List.of())
                .setParameters(UnlearningParameters.newBuilder().setAlphaR(reg.getDefaultAlphaR())
                        .setAlphaF(reg.getDefaultAlphaF()).setRetainPerClass(0).setForgetSamples(0)
                        .setPositionsPerSample(0).setSeed(0).build())
                .setMetrics(VersionMetrics.newBuilder().setRetainAccuracy(Double.NaN).setForgetAccuracy(Double.NaN)
                        .setMeasuredOn("not measured: registered base model").build())
                .setCreatedAt(at).setLineageHash(Lineage.root(reg))
                .build();
    }

    public static ModelVersion next(ModelVersion head, DeletionRequest req, ModelRegistration model,
                             UnlearningService.Produced p, Instant at) {
        UnlearningParameters params = Parameters.of(p.spec());
        List<String> labels = new ArrayList<>();
        for (int c : p.allForgotten()) {
            labels.add(model.getClassLabels().get(c));
        }
        return ModelVersion.newBuilder()
                .setModelId(model.getModelId()).setVersion(head.getVersion() + 1).setParentVersion(head.getVersion())
                .setArtifactUri(p.artifact().uri()).setSha256(p.artifact().sha256()).setFormat(head.getFormat())
                .setArtifactBytes(p.artifact().size())
                .setComputeSeconds(p.computeSeconds()).setWarmRetainStatistics(p.warmRetainStatistics())
                .setPatchUri(p.patch().uri()).setPatchSha256(p.patch().sha256()).setPatchBytes(p.patch().size())
                .setForgottenClasses(new ArrayList<>(p.allForgotten())).setForgottenLabels(labels)
                .setRequestIds(List.of(req.getRequestId()))
                .setParameters(params)
                .setMetrics(VersionMetrics.newBuilder().setRetainAccuracy(p.retainAccuracy())
                        .setForgetAccuracy(p.forgetAccuracy()).setMeasuredOn(p.measuredOn()).build())
                .setCreatedAt(at)
                .setLineageHash(Lineage.next(head.getLineageHash(), req, params, p.artifact().sha256()))
                .build();
    }

    public static UnlearningService.Model model(ModelRegistration reg) {
        if (reg == null) {
            return null;
        }
        if (reg.getData() == null) {
            return new UnlearningService.Model(reg.getModelId(), reg.getArchitecture(), reg.getClassLabels(),
                    reg.getSampleBankUri(), alphas(reg));
        }
        return new UnlearningService.Model(reg.getModelId(), reg.getArchitecture(), reg.getClassLabels(),
                reg.getSampleBankUri(), alphas(reg), data(reg.getData()));
    }

    private static DataSpec data(String json) {
        try {
            return DataSpec.parse(json);
        } catch (DataException e) {
            throw new IllegalArgumentException("data: " + e.getMessage(), e);
        }
    }

    /** The registration's alphas, each with the forget rank it was tuned for if it says. */
    private static AlphaTable alphas(ModelRegistration reg) {
        Map<Integer, Manifest.Alphas> perClass = new TreeMap<>();
        reg.getClassAlphas().forEach((c, a) -> perClass.put(Integer.parseInt(c.toString()),
                new Manifest.Alphas(a.getAlphaR(), a.getAlphaF(), "registration, tuned for class " + c,
                        a.getForgetRank())));
        return new AlphaTable(new Manifest.Alphas(reg.getDefaultAlphaR(), reg.getDefaultAlphaF(), "registration",
                reg.getDefaultForgetRank()), perClass);
    }

    public static UnlearningService.Head head(ModelVersion v) {
        if (v == null) {
            return null;
        }
        return new UnlearningService.Head(v.getVersion(), v.getSha256(), v.getArtifactUri(),
                new TreeSet<>(v.getForgottenClasses()));
    }
}
