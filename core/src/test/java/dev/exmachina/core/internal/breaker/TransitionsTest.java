package dev.exmachina.core.internal.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitBreakerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The breaker's pure state machine: each transition from a phase and an event, no clock, no thread. */
class TransitionsTest {

    private static final long S = 1_000_000_000L;

    /** 3 probes, open 10 s doubling up to 35 s, half-open at most 20 s, failure rate 50 %. */
    private static final Settings SETTINGS = Settings.of(new CircuitBreakerConfig(
            new CircuitBreakerConfig.SlidingWindow.Calls(4), 2, 50, Duration.ofSeconds(1), 50,
            Duration.ofSeconds(10), Duration.ofSeconds(35), 3, Duration.ofSeconds(20), java.util.List.of()));

    private static Phase.HalfOpen halfOpenAt(long now) {
        Phase open = new Phase.Open(1, now, 0);
        return assertInstanceOf(Phase.HalfOpen.class, Transitions.due(open, now, SETTINGS));
    }

    @Test
    void aClosedBreakerLetsEveryCallThroughAndTimeChangesNothing() {
        Phase closed = Transitions.initial(SETTINGS);
        assertSame(closed, Transitions.take(closed));
        assertSame(closed, Transitions.due(closed, Long.MAX_VALUE - 1, SETTINGS));
        assertEquals(0, Transitions.retryAfterNanos(closed, 0));
    }

    @Test
    void aTripOpensForTheFirstWaitInTheNextGeneration() {
        Phase.Closed closed = (Phase.Closed) Transitions.initial(SETTINGS);
        Phase open = Transitions.trip(closed, 5 * S, SETTINGS);
        assertEquals(new Phase.Open(1, 15 * S, 0), open);
        assertNull(Transitions.take(open), "open refuses");
        assertEquals(7 * S, Transitions.retryAfterNanos(open, 8 * S));
    }

    @Test
    void anOpenBreakerHalfOpensExactlyAtTheEndOfItsWaitWithEveryProbeFree() {
        Phase open = new Phase.Open(1, 15 * S, 0);
        assertSame(open, Transitions.due(open, 15 * S - 1, SETTINGS));
        assertEquals(new Phase.HalfOpen(2, 35 * S, 0, 3, 0, 0, 0), Transitions.due(open, 15 * S, SETTINGS));
    }

    @Test
    void halfOpenHandsOutExactlyItsProbesThenRefusesUntilItsBound() {
        Phase s = halfOpenAt(0);
        for (int i = 0; i < 3; i++) {
            s = Transitions.take(s);
            assertNotNull(s, "probe " + (i + 1) + " of 3");
        }
        assertEquals(0, ((Phase.HalfOpen) s).permits());
        assertNull(Transitions.take(s));
        assertEquals(20 * S - 4 * S, Transitions.retryAfterNanos(s, 4 * S), "refused until the half-open bound");
    }

    @Test
    void aProbeGivenBackFreesItsPermitWithoutCountingIt() {
        Phase.HalfOpen taken = (Phase.HalfOpen) Transitions.take(halfOpenAt(0));
        Phase.HalfOpen back = (Phase.HalfOpen) Transitions.probeGivenBack(taken, taken.generation());
        assertEquals(3, back.permits());
        assertEquals(0, back.ended());
    }

    @Test
    void probesUnderTheThresholdCloseWithANewWindowAndTheWaitsReset() {
        Phase s = halfOpenAt(0);
        long generation = s.generation();
        for (int i = 0; i < 3; i++) {
            s = Transitions.take(s);
        }
        s = Transitions.probeEnded(s, generation, true, false, S, SETTINGS);   // 1 of 3 failed: 33 % < 50 %
        s = Transitions.probeEnded(s, generation, false, false, S, SETTINGS);
        assertEquals(CircuitBreaker.State.HALF_OPEN, s.state(), "decides only once every probe ended");
        s = Transitions.probeEnded(s, generation, false, false, 2 * S, SETTINGS);
        Phase.Closed closed = assertInstanceOf(Phase.Closed.class, s);
        assertEquals(generation + 1, closed.generation());
        assertEquals(new Phase.Open(generation + 2, 12 * S, 0), Transitions.trip(closed, 2 * S, SETTINGS),
                "after a close the open wait is the first one again");
    }

    @Test
    void eachFailedHalfOpenReopensForTwiceAsLongUpToTheCap() {
        Phase s = new Phase.Open(1, 0, 0);
        long[] waits = new long[3];
        for (int round = 0; round < 3; round++) {
            long now = ((Phase.Open) s).untilNanos();
            Phase half = Transitions.due(s, now, SETTINGS);
            long generation = half.generation();
            for (int i = 0; i < 3; i++) {
                half = Transitions.take(half);
            }
            for (int i = 0; i < 3; i++) {
                half = Transitions.probeEnded(half, generation, true, false, now, SETTINGS);
            }
            Phase.Open reopened = assertInstanceOf(Phase.Open.class, half);
            waits[round] = reopened.untilNanos() - now;
            s = reopened;
        }
        assertEquals(java.util.List.of(20 * S, 35 * S, 35 * S), java.util.Arrays.stream(waits).boxed().toList(),
                "10 s doubled to 20 s, then 40 s capped at 35 s");
        assertEquals(35 * S, SETTINGS.openWaitNanos(62));
        assertEquals(35 * S, SETTINGS.openWaitNanos(Integer.MAX_VALUE));
    }

    @Test
    void aHalfOpenPastItsBoundReopensAndItsLateProbesChangeNothing() {
        Phase half = Transitions.take(halfOpenAt(0));
        long generation = half.generation();
        Phase reopened = Transitions.due(half, 20 * S, SETTINGS);
        assertEquals(new Phase.Open(generation + 1, 40 * S, 1), reopened, "reopened for twice the first wait");
        assertSame(reopened, Transitions.probeEnded(reopened, generation, false, false, 21 * S, SETTINGS));
        assertSame(reopened, Transitions.probeGivenBack(reopened, generation));
    }

    @Test
    void slowProbesReopenLikeFailedOnes() {
        Phase s = halfOpenAt(0);
        long generation = s.generation();
        for (int i = 0; i < 3; i++) {
            s = Transitions.take(s);
        }
        s = Transitions.probeEnded(s, generation, false, true, S, SETTINGS);
        s = Transitions.probeEnded(s, generation, false, true, S, SETTINGS);
        s = Transitions.probeEnded(s, generation, false, false, S, SETTINGS);
        assertEquals(CircuitBreaker.State.OPEN, s.state(), "2 of 3 slow: 67 % >= 50 %");
    }

    @Test
    void theEndOfTimeNeverOverflowsADeadline() {
        assertEquals(Long.MAX_VALUE - 1, Transitions.saturatedAdd(Long.MAX_VALUE - 5, 10 * S));
        assertEquals(7, Transitions.saturatedAdd(3, 4));
    }
}
