package dev.lethe.engine;

import dev.lethe.data.Classes;
import dev.lethe.data.Dataset;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.eval.MembershipInference;
import dev.lethe.model.Inference;
import dev.lethe.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The paper's protocol on a network: per-class accuracy and membership-inference efficacy. */
public final class Evaluation {
    /**
     * Training images per class scored for the attack, the same on both sides so that the
     * attack sees members and non-members in the proportions of the real training set (an
     * attack that cannot tell them apart then calls everything a member, efficacy ~0, instead of
     * flipping a coin). 400 per class keeps 9 retained + 1 forgotten classes at the attack's cap.
     */
    static final int MIA_PER_CLASS = MembershipInference.DEFAULT_MAX_SAMPLES / 10;

    private Evaluation() { }

    public static ClassAccuracy accuracy(Network net, Dataset data) {
        return ClassAccuracy.of(Inference.score(net, data).predicted(), data.labels(), data.numClasses());
    }

    /** MIA efficacy (fraction of forgotten-class test samples the attack calls non-members). */
    public static MembershipInference.Result mia(Network net, Splits splits, Set<Integer> forgotten) {
        int numClasses = splits.train().numClasses();
        List<Integer> retained = new ArrayList<>(Classes.retained(numClasses, forgotten));
        SampleBank bank = SampleBank.draw(splits.train(), MIA_PER_CLASS, MembershipInference.DEFAULT_SEED);
        double[] memberProb = Inference.score(net, bank.forClasses(retained)).trueLabelProbability();
        double[] nonMemberProb = Inference.score(net, bank.forClasses(forgotten)).trueLabelProbability();
        Dataset test = splits.test();
        List<Integer> idx = new ArrayList<>();
        for (int c : forgotten) {
            for (int i : test.indicesOfClass(c)) {
                idx.add(i);
            }
        }
        Dataset forgetTest = test.select(idx.stream().mapToInt(Integer::intValue).toArray());
        double[] testProb = Inference.score(net, forgetTest).trueLabelProbability();
        return MembershipInference.efficacy(memberProb, nonMemberProb, testProb);
    }
}
