package dev.lethe.replay;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an auditor replays: the registrations, the requests and the versions they produced. */
public final class History {
    private final Map<String, ModelRegistration> registrations = new LinkedHashMap<>();
    private final Map<String, DeletionRequest> requests = new LinkedHashMap<>();
    private final List<ModelVersion> versions = new ArrayList<>();

    public void add(ModelRegistration r) {
        registrations.putIfAbsent(r.getModelId(), r);
    }

    /** The first request under an id is the one that was processed; later copies were duplicates. */
    public void add(DeletionRequest r) {
        requests.putIfAbsent(r.getRequestId(), r);
    }

    public void add(ModelVersion v) {
        versions.add(v);
    }

    public Map<String, ModelRegistration> registrations() {
        return registrations;
    }

    public Map<String, DeletionRequest> requests() {
        return requests;
    }

    /** Versions of one model, in version order. */
    public List<ModelVersion> versionsOf(String modelId) {
        return versions.stream().filter(v -> v.getModelId().equals(modelId))
                .sorted(Comparator.comparingLong(ModelVersion::getVersion)).toList();
    }

    public List<ModelVersion> versions() {
        return List.copyOf(versions);
    }
}
