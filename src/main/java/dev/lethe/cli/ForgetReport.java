package dev.lethe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.engine.ForgetJob;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.eval.MembershipInference;
import java.util.List;
import java.util.Set;

/** The JSON object {@code forget --json} prints (and the demo embeds). */
final class ForgetReport {
    /** The top-level keys that describe a Lethe update; every method's report has them, in this order. */
    static final List<String> LETHE_SETTINGS = List.of("alpha_r", "alpha_f", "alphas_from", "forget_rank",
            "head_recentring");

    private ForgetReport() { }

    static ObjectNode json(String model, ForgetJob.Result r, ClassAccuracy before, ClassAccuracy after,
                           MembershipInference.Result mia, String sha256) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", model);
        ArrayNode forgotten = o.putArray("forgotten");
        r.forgotten().forEach(forgotten::add);
        o.put("alpha_r", r.alphas().alphaR());
        o.put("alpha_f", r.alphas().alphaF());
        o.put("alphas_from", r.alphas().selectedBy());
        o.put("forget_rank", r.forgetRank());
        o.put("head_recentring", r.recentredHead());
        o.set("before", accuracies(before, r.allForgotten()));
        o.set("after", accuracies(after, r.allForgotten()));
        o.put("mia_efficacy", mia.efficacy());
        o.put("unlearn_seconds", r.outcome().computeSeconds());
        ObjectNode t = o.putObject("seconds");
        t.put("retain_statistics", r.outcome().retainCaptureSeconds());
        t.put("forget_statistics", r.outcome().forgetCaptureSeconds());
        t.put("eigen", r.outcome().eigenSeconds());
        t.put("update", r.outcome().updateSeconds());
        o.put("sha256", sha256);
        return o;
    }

    static ObjectNode accuracies(ClassAccuracy acc, Set<Integer> forgotten) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("retain_accuracy", acc.retainAccuracy(forgotten));
        o.put("forget_accuracy", acc.forgetAccuracy(forgotten));
        ArrayNode per = o.putArray("per_class");
        for (double v : acc.perClass()) {
            per.add(v);
        }
        return o;
    }
}
