package dev.lethe.engine;

import dev.lethe.data.Splits;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.eval.MembershipInference;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;

/** A forgetting request with the paper's measurements around it: test accuracy before and after, and MIA. */
public record MeasuredForget(ForgetJob.Result result, ClassAccuracy before, ClassAccuracy after,
                             MembershipInference.Result mia) {

    /** Runs the request on {@code net} in place; {@code before} may be passed in when already known. */
    public static MeasuredForget run(Network net, Manifest manifest, Splits splits, ForgetSpec spec,
                                     ClassAccuracy before) {
        ClassAccuracy b = before != null ? before : Evaluation.accuracy(net, splits.test());
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, spec, null);
        ClassAccuracy after = Evaluation.accuracy(net, splits.test());
        return new MeasuredForget(r, b, after, Evaluation.mia(net, splits, r.allForgotten()));
    }

    public double retainDrop() {
        return before.retainAccuracy(result.allForgotten()) - after.retainAccuracy(result.allForgotten());
    }
}
