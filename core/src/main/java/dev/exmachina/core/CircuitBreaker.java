package dev.exmachina.core;

import dev.exmachina.core.internal.breaker.BreakerImpl;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Stops calls to an API that keeps failing, probes it after a wait, and lets calls through again once
 * it answers: closed (calls go through, outcomes are counted), open (calls are refused at once with
 * {@link CircuitOpenException}), half-open (a few probes decide). The settings are a
 * {@link CircuitBreakerConfig}; the breaker holds the state.
 *
 * <pre>{@code
 * var breaker = CircuitBreaker.builder("exchange")
 *         .countWindow(50).minimumCalls(20).failureRate(50)
 *         .openWait(Duration.ofSeconds(10), Duration.ofMinutes(5))
 *         .build();
 * bot.concurrentGroup("exchange", GroupLimits.concurrency(4).circuitBreaker(breaker));
 * }</pre>
 *
 * <p><b>Where it goes.</b> On a concurrent group ({@link GroupLimits#circuitBreaker}): every attempt
 * of every execute through that group asks it, so one API's breaker sees all the calls made to it. Or
 * on one execute ({@link ExecuteOptions#circuitBreaker}): only that execute's attempts ask it. An
 * attempt asks the execute's breaker first, then its groups' in the order the groups were registered.
 * A breaker belongs to the first bot it is registered with.
 *
 * <p><b>Inside retry, before the groups.</b> Each attempt asks the breaker before it takes a slot or
 * a window start: a refused attempt takes nothing, runs no handler and fails with
 * {@link CircuitOpenException}, which says how long until the breaker lets calls through again. A
 * retry rule can wait exactly that long:
 * {@code RetryRule.fixed(CircuitOpenException.class, Duration.ofSeconds(1)).waitFrom(CircuitOpenException::retryAfter)}.
 *
 * <p><b>Time.</b> Windows and waits are read on the bot's clock ({@link Machina#clock()}); the change
 * from open to half-open happens at the end of the open wait, by a timer of that clock or by the next
 * call, whichever comes first, and the half-open bound likewise. On a virtual clock every transition
 * is exact and repeats run after run.
 *
 * <p><b>Concurrency.</b> Thread-safe and lock-free on the way in: the state is one immutable value
 * replaced by compare-and-set; a closed breaker's window of outcomes takes a short
 * {@link java.util.concurrent.locks.ReentrantLock} hold per outcome (never a monitor, so a virtual
 * thread is never pinned). Every change of state is reported to the bot's listeners
 * ({@link BotEvent.CircuitStateChanged}), as a JFR event, in the log, and through
 * {@code MachinaMetrics} to Micrometer.
 */
public interface CircuitBreaker {

    /** The states of a breaker. */
    enum State {
        /** Calls go through and their outcomes are counted. */
        CLOSED,
        /** Calls are refused with {@link CircuitOpenException} until the open wait ends. */
        OPEN,
        /** A few probes go through; the others are refused. Their outcomes close or reopen the breaker. */
        HALF_OPEN
    }

    /**
     * The name it was built with, in events, metrics and {@link CircuitOpenException}.
     *
     * @return the breaker's name
     */
    String name();

    /**
     * Its settings.
     *
     * @return the config it was built with
     */
    CircuitBreakerConfig config();

    /**
     * Its state now: closed until it is first registered with a bot and opens.
     *
     * @return the state at the instant of the call; it may change right after
     */
    State state();

    /**
     * A builder for a breaker named {@code name}, starting from {@link CircuitBreakerConfig#defaults()}.
     *
     * @param name the breaker's name, not blank
     * @return a builder
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Builds a {@link CircuitBreaker}; every value is checked by {@link #build()}
     * ({@link CircuitBreakerConfig}'s checks), so setters may come in any order. Not thread-safe.
     */
    final class Builder {
        private final String name;
        private CircuitBreakerConfig.SlidingWindow window;
        private int minimumCalls;
        private int failureRate;
        private @Nullable Duration slowCall;
        private int slowCallRate;
        private Duration openWait;
        private Duration maxOpenWait;
        private int halfOpenProbes;
        private Duration maxHalfOpen;
        private List<CircuitBreakerRule<?>> rules;

        private Builder(String name) {
            Objects.requireNonNull(name, "name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a circuit breaker's name must not be blank, was \"" + name + "\"");
            }
            this.name = name;
            CircuitBreakerConfig d = CircuitBreakerConfig.defaults();
            window = d.window();
            minimumCalls = d.minimumCalls();
            failureRate = d.failureRate();
            slowCall = d.slowCall();
            slowCallRate = d.slowCallRate();
            openWait = d.openWait();
            maxOpenWait = d.maxOpenWait();
            halfOpenProbes = d.halfOpenProbes();
            maxHalfOpen = d.maxHalfOpen();
            rules = d.rules();
        }

        /**
         * Rates over the outcomes of the last {@code calls} attempts ({@link CircuitBreakerConfig.SlidingWindow.Calls}).
         *
         * @param calls the window's size, at least 1
         * @return this builder
         */
        public Builder countWindow(int calls) {
            window = new CircuitBreakerConfig.SlidingWindow.Calls(calls);
            return this;
        }

        /**
         * Rates over the outcomes of the attempts that ended in the last {@code length}
         * ({@link CircuitBreakerConfig.SlidingWindow.Time}).
         *
         * @param length how far back outcomes count
         * @return this builder
         */
        public Builder timeWindow(Duration length) {
            window = new CircuitBreakerConfig.SlidingWindow.Time(length);
            return this;
        }

        /**
         * Outcomes the window must hold before a rate can open the breaker.
         *
         * @param calls at least 1
         * @return this builder
         */
        public Builder minimumCalls(int calls) {
            minimumCalls = calls;
            return this;
        }

        /**
         * The failure rate at or above which the breaker opens.
         *
         * @param percent 1 to 100
         * @return this builder
         */
        public Builder failureRate(int percent) {
            failureRate = percent;
            return this;
        }

        /**
         * Attempts that run longer than {@code slowerThan} are slow, and the breaker opens when they
         * make up {@code percent} of the window or more (whether they succeeded or not).
         *
         * @param slowerThan the duration past which an attempt is slow, positive
         * @param percent 1 to 100
         * @return this builder
         */
        public Builder slowCalls(Duration slowerThan, int percent) {
            slowCall = Objects.requireNonNull(slowerThan, "slowerThan must not be null");
            slowCallRate = percent;
            return this;
        }

        /**
         * How long the breaker stays open: {@code first} the first time, twice as long each time it
         * opens again after a failed half-open, at most {@code max}; a close resets it. Pass the same
         * duration twice for a wait that never grows.
         *
         * @param first the first open wait, positive
         * @param max the longest open wait, at least {@code first}
         * @return this builder
         */
        public Builder openWait(Duration first, Duration max) {
            openWait = Objects.requireNonNull(first, "first must not be null");
            maxOpenWait = Objects.requireNonNull(max, "max must not be null");
            return this;
        }

        /**
         * How many probes half-open lets through, and the longest it waits for them to end before it
         * opens again.
         *
         * @param probes at least 1
         * @param maxHalfOpen the longest stay in half-open, positive
         * @return this builder
         */
        public Builder halfOpen(int probes, Duration maxHalfOpen) {
            halfOpenProbes = probes;
            this.maxHalfOpen = Objects.requireNonNull(maxHalfOpen, "maxHalfOpen must not be null");
            return this;
        }

        /**
         * Which failures count, asked in order (see {@link CircuitBreakerRule}); replaces earlier rules.
         * None: every failure counts.
         *
         * @param rules the rules, none null
         * @return this builder
         */
        public Builder rules(CircuitBreakerRule<?>... rules) {
            this.rules = Arrays.asList(Objects.requireNonNull(rules, "rules must not be null"));
            return this;
        }

        /**
         * The breaker, its settings checked.
         *
         * @return a new breaker, closed
         * @throws IllegalArgumentException naming a value out of range
         */
        public CircuitBreaker build() {
            return new BreakerImpl(name, new CircuitBreakerConfig(window, minimumCalls, failureRate, slowCall,
                    slowCallRate, openWait, maxOpenWait, halfOpenProbes, maxHalfOpen, rules));
        }
    }
}
