package dev.exmachina.core.internal.breaker;

import dev.exmachina.core.CircuitBreaker;

/**
 * A breaker's state as one immutable value, replaced whole by compare-and-set ({@link BreakerImpl}).
 * {@link #generation()} grows by one at every change of {@link #state()}: a permit remembers the
 * phase it was taken in, and an outcome or a timer meant for an older generation changes nothing.
 */
sealed interface Phase permits Phase.Closed, Phase.Open, Phase.HalfOpen {

    long generation();

    CircuitBreaker.State state();

    /**
     * Closed: calls go through; their outcomes go into {@code window}, which belongs to this spell
     * of closed only.
     */
    record Closed(long generation, OutcomeWindow window) implements Phase {
        @Override
        public CircuitBreaker.State state() {
            return CircuitBreaker.State.CLOSED;
        }
    }

    /**
     * Open until {@code untilNanos} (bot clock); {@code reopened}: how many half-opens failed since the
     * breaker last closed, which sets how long the open wait is.
     */
    record Open(long generation, long untilNanos, int reopened) implements Phase {
        @Override
        public CircuitBreaker.State state() {
            return CircuitBreaker.State.OPEN;
        }
    }

    /**
     * Half-open until {@code untilNanos} at the latest. Of the config's probes, {@code permits} are
     * still to hand out and {@code ended} have ended, {@code failed} of them failed and {@code slow}
     * ran slow; the rest are running. Invariant: {@code 0 <= permits}, {@code 0 <= ended},
     * {@code permits + ended <= probes}, {@code failed <= ended}, {@code slow <= ended}.
     */
    record HalfOpen(long generation, long untilNanos, int reopened, int permits, int ended, int failed, int slow)
            implements Phase {
        @Override
        public CircuitBreaker.State state() {
            return CircuitBreaker.State.HALF_OPEN;
        }
    }
}
