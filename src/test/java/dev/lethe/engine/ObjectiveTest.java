package dev.lethe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectiveTest {
    private static AlphaSearch.Point p(double alphaR, double retain, double forget) {
        return new AlphaSearch.Point(alphaR, 3, 1, retain, forget);
    }

    private static List<AlphaSearch.Point> ranked(Objective o, AlphaSearch.Point... points) {
        List<AlphaSearch.Point> out = new ArrayList<>(List.of(points));
        out.sort(o.order());
        return out;
    }

    @Test
    void theTargetTakesTheMostRetainAccuracyAmongPointsThatForgetEnough() {
        AlphaSearch.Point forgetsAll = p(10, 0.90, 0.000);
        AlphaSearch.Point keepsMore = p(30, 0.93, 0.008);
        AlphaSearch.Point missesTarget = p(100, 0.95, 0.020);
        assertEquals(List.of(keepsMore, forgetsAll, missesTarget),
                ranked(Objective.DEFAULT, missesTarget, forgetsAll, keepsMore));
        // The paper's score (0.931 > 0.923 > 0.900) takes the point that leaves 2% of the class.
        assertEquals(missesTarget, ranked(Objective.PAPER, forgetsAll, keepsMore, missesTarget).get(0));
        assertEquals(forgetsAll, ranked(new Objective(0.0), missesTarget, keepsMore, forgetsAll).get(0));
    }

    @Test
    void withNoPointOnTargetThePapersScoreDecides() {
        AlphaSearch.Point a = p(10, 0.90, 0.05);  // score 0.855
        AlphaSearch.Point b = p(30, 0.95, 0.03);  // score 0.9215
        assertEquals(List.of(b, a), ranked(Objective.DEFAULT, a, b));
    }

    @Test
    void tiesGoToTheSmallerAlphas() {
        AlphaSearch.Point small = p(10, 0.92, 0.0);
        AlphaSearch.Point large = p(30, 0.92, 0.0);
        assertEquals(small, ranked(Objective.DEFAULT, large, small).get(0));
        assertEquals(small, ranked(Objective.PAPER, large, small).get(0));
    }

    @Test
    void refusesATargetThatIsNotAFraction() {
        assertThrows(IllegalArgumentException.class, () -> new Objective(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Objective(-0.01));
        assertEquals("ACC_f <= 1%, then most ACC_r", Objective.DEFAULT.describe());
    }
}
