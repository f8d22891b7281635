package dev.exmachina.core.internal.breaker;

import dev.exmachina.core.CircuitBreakerConfig;

/**
 * A {@link CircuitBreakerConfig} in the numbers the machinery works with: nanoseconds and integer
 * percentages, read once. Immutable.
 */
record Settings(int minimumCalls, int failureRate, long slowCallNanos, int slowCallRate, long openWaitNanos,
        long maxOpenWaitNanos, int probes, long maxHalfOpenNanos, CircuitBreakerConfig.SlidingWindow window) {

    /** {@code slowCallNanos} when no attempt is slow. */
    static final long NEVER_SLOW = Long.MAX_VALUE;

    static Settings of(CircuitBreakerConfig config) {
        return new Settings(config.minimumCalls(), config.failureRate(),
                config.slowCall() == null ? NEVER_SLOW : config.slowCall().toNanos(), config.slowCallRate(),
                config.openWait().toNanos(), config.maxOpenWait().toNanos(), config.halfOpenProbes(),
                config.maxHalfOpen().toNanos(), config.window());
    }

    boolean timesAttempts() {
        return slowCallNanos != NEVER_SLOW;
    }

    boolean slow(long durationNanos) {
        return durationNanos > slowCallNanos;
    }

    /**
     * Whether {@code failed} or {@code slow} of {@code calls} outcomes reach a threshold (exact,
     * in integers: {@code failed / calls >= failureRate / 100}).
     */
    boolean tripped(int calls, int failed, int slow) {
        return (long) failed * 100 >= (long) failureRate * calls
                || slowCallNanos != NEVER_SLOW && (long) slow * 100 >= (long) slowCallRate * calls;
    }

    /** The open wait after {@code reopened} failed half-opens: doubled each time, at most the cap. */
    long openWaitNanos(int reopened) {
        if (reopened >= 63 || openWaitNanos > maxOpenWaitNanos >> reopened) {
            return maxOpenWaitNanos;
        }
        return Math.min(maxOpenWaitNanos, openWaitNanos << reopened);
    }

    /** A new, empty window of outcomes for a spell of closed. */
    OutcomeWindow newWindow() {
        return switch (window) {
            case CircuitBreakerConfig.SlidingWindow.Calls calls -> new CallWindow(calls.size(), this);
            case CircuitBreakerConfig.SlidingWindow.Time time -> new TimeWindow(time.length().toNanos(), this);
        };
    }
}
