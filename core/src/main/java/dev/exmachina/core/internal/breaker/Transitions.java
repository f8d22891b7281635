package dev.exmachina.core.internal.breaker;

import org.jspecify.annotations.Nullable;

/**
 * The pure state machine of a breaker: from a {@link Phase} and an event to the next phase. No
 * clock, no thread, no side effect (but for the empty window a close makes), so each rule is read,
 * and tested, here alone; {@link BreakerImpl} swaps the results in by compare-and-set.
 *
 * <pre>
 * CLOSED    --window reaches a threshold-->              OPEN (wait 0)
 * OPEN      --its wait ended-->                          HALF_OPEN (every probe's permit free)
 * HALF_OPEN --every probe ended, rates under threshold--> CLOSED (new window; waits reset)
 * HALF_OPEN --every probe ended, a rate reached-->       OPEN (wait doubled, up to the cap)
 * HALF_OPEN --its bound ended first-->                   OPEN (wait doubled, up to the cap)
 * </pre>
 */
final class Transitions {

    private Transitions() {}

    /** The first phase of a breaker. */
    static Phase initial(Settings settings) {
        return new Phase.Closed(0, settings.newWindow());
    }

    /** What time alone changes by {@code now}: an open wait or a half-open bound that ended; else {@code s}. */
    static Phase due(Phase s, long now, Settings settings) {
        return switch (s) {
            case Phase.Closed closed -> closed;
            case Phase.Open open -> now - open.untilNanos() >= 0
                    ? new Phase.HalfOpen(open.generation() + 1, saturatedAdd(now, settings.maxHalfOpenNanos()),
                            open.reopened(), settings.probes(), 0, 0, 0)
                    : open;
            case Phase.HalfOpen half -> now - half.untilNanos() >= 0 ? reopen(half, now, settings) : half;
        };
    }

    /** The phase after a call takes a permit in {@code s}, or {@code null} if {@code s} refuses it. */
    static @Nullable Phase take(Phase s) {
        return switch (s) {
            case Phase.Closed closed -> closed;
            case Phase.Open open -> null;
            case Phase.HalfOpen h -> h.permits() == 0 ? null
                    : new Phase.HalfOpen(h.generation(), h.untilNanos(), h.reopened(), h.permits() - 1, h.ended(),
                            h.failed(), h.slow());
        };
    }

    /** A closed breaker whose window reached a threshold at {@code now}. */
    static Phase trip(Phase.Closed closed, long now, Settings settings) {
        return new Phase.Open(closed.generation() + 1, saturatedAdd(now, settings.openWaitNanos(0)), 0);
    }

    /**
     * A probe taken in generation {@code generation} ended at {@code now}, counted: the next phase,
     * or {@code s} itself when the probe belongs to another generation (the half-open it probed is over).
     */
    static Phase probeEnded(Phase s, long generation, boolean failed, boolean slow, long now, Settings settings) {
        if (!(s instanceof Phase.HalfOpen h) || h.generation() != generation) {
            return s;
        }
        int ended = h.ended() + 1;
        int failures = h.failed() + (failed ? 1 : 0);
        int slows = h.slow() + (slow ? 1 : 0);
        if (ended < settings.probes()) {
            return new Phase.HalfOpen(h.generation(), h.untilNanos(), h.reopened(), h.permits(), ended, failures, slows);
        }
        if (settings.tripped(ended, failures, slows)) {
            return reopen(h, now, settings);
        }
        return new Phase.Closed(h.generation() + 1, settings.newWindow());
    }

    /**
     * A probe taken in generation {@code generation} was not counted (cancelled, stopped by its call's
     * deadline, ignored by a rule, or refused by another breaker): its permit is free again.
     */
    static Phase probeGivenBack(Phase s, long generation) {
        if (!(s instanceof Phase.HalfOpen h) || h.generation() != generation) {
            return s;
        }
        return new Phase.HalfOpen(h.generation(), h.untilNanos(), h.reopened(), h.permits() + 1, h.ended(),
                h.failed(), h.slow());
    }

    /** How long until {@code s} may let a call through, at {@code now}: 0 when it lets calls through. */
    static long retryAfterNanos(Phase s, long now) {
        return switch (s) {
            case Phase.Closed closed -> 0;
            case Phase.Open open -> Math.max(0, open.untilNanos() - now);
            case Phase.HalfOpen half -> half.permits() > 0 ? 0 : Math.max(0, half.untilNanos() - now);
        };
    }

    private static Phase reopen(Phase.HalfOpen half, long now, Settings settings) {
        int reopened = half.reopened() == Integer.MAX_VALUE ? Integer.MAX_VALUE : half.reopened() + 1;
        return new Phase.Open(half.generation() + 1, saturatedAdd(now, settings.openWaitNanos(reopened)), reopened);
    }

    /** {@code now + wait}, never past {@code Long.MAX_VALUE - 1} (a clock's deadline must not overflow). */
    static long saturatedAdd(long now, long wait) {
        long sum = now + wait;
        return ((now ^ sum) & (wait ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
