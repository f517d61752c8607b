package dev.lethe.baselines;

import dev.lethe.engine.Sampling;
import dev.lethe.model.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The methods by id, with their default hyper-parameters. */
public final class Methods {
    /** Every method, in the order reports list them. */
    public static final List<String> IDS = List.of(LetheMethod.ID, LetheMethod.CACHED_ID, LetheMethod.PAPER_ID,
            Retrain.ID, FineTune.ID, NegGradPlus.ID, Ssd.ID);

    private Methods() { }

    /** The method {@code id} with its defaults; training methods report their steps to {@code progress}. */
    public static UnlearningMethod create(String id, Training.Progress progress) {
        return switch (id.trim().toLowerCase(Locale.ROOT)) {
            case LetheMethod.ID -> new LetheMethod(Sampling.DEFAULT, null);
            case LetheMethod.CACHED_ID -> new LetheMethod(Sampling.DEFAULT, null, true);
            case LetheMethod.PAPER_ID -> new LetheMethod(Sampling.DEFAULT, null, false, false);
            case Retrain.ID -> new Retrain(progress);
            case FineTune.ID -> new FineTune(FineTune.DEFAULT_EPOCHS, progress);
            case NegGradPlus.ID -> new NegGradPlus(NegGradPlus.Params.DEFAULT, progress);
            case Ssd.ID -> new Ssd(Ssd.Params.DEFAULT);
            default -> throw new IllegalArgumentException("unknown method '" + id + "' (expected one of "
                    + String.join(", ", IDS) + ")");
        };
    }

    /** Methods named in a comma-separated list, e.g. {@code lethe,ssd}. */
    public static List<UnlearningMethod> parse(String list, Training.Progress progress) {
        List<UnlearningMethod> out = new ArrayList<>();
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                UnlearningMethod m = create(id, progress);
                if (out.stream().anyMatch(o -> o.id().equals(m.id()))) {
                    throw new IllegalArgumentException("method " + m.id() + " named twice in '" + list + "'");
                }
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no method named in '" + list + "'");
        }
        return out;
    }
}
