package dev.exmachina.core;

import dev.exmachina.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * How an execute runs: the concurrent groups each attempt takes, its retry policy, and its time
 * limits. Immutable.
 *
 * <p><b>Time limits</b> (each absent by default; an execute without them reads the clock no more
 * and schedules no timer):
 * <ul>
 *   <li>{@link #attemptTimeout(Duration)}: an attempt still running at its deadline is interrupted
 *       and fails with {@link AttemptTimeoutException}, which the retry rules may match like any
 *       failure. A handler that ignores the interrupt keeps its slots until it returns (a thread
 *       cannot be killed); that overrun is logged at WARN once.</li>
 *   <li>{@link #maxWait(Duration)}: the longest an attempt waits for its groups (a slot, then its
 *       start in a window). Past it the attempt fails with {@link GroupWaitTimeoutException},
 *       holding nothing; a start that the window reserves beyond it fails at once.</li>
 *   <li>{@link #callTimeout(Duration)}: the whole call, every attempt and retry wait included.
 *       Past it the call fails with {@link CallTimeoutException}, never retried; a retry wait
 *       that would end past it fails the call at once.</li>
 * </ul>
 * Deadlines are read on the bot's clock, so they are exact on a virtual clock. A cancel
 * ({@link Forked#cancel()}, {@code close()}) is not a timeout: a cancelled call is never retried.
 *
 * <p><b>A circuit breaker</b> ({@link #circuitBreaker(CircuitBreaker)}) of this execute alone: each
 * attempt asks it (before its groups' breakers, and before taking any slot), inside the retry loop, so
 * a retry rule may wait for it (see {@link CircuitBreaker}).
 *
 * <p><b>Weights</b> ({@link #cost(int)}, {@link #cost(Class, ToIntFunction)}, {@link #costAfter}): what a
 * call counts in every window of its groups, 1 by default. A cost larger than a window's limit could
 * never start: the attempt fails at once with an {@link IllegalArgumentException} naming the cost, the
 * group and its window, holding nothing.
 *
 * <p><b>Pauses</b> ({@link #pauseOn}): a failure that matches a rule pauses every group of the execute
 * (the server said "everyone stop until then"); the failure itself goes on to the retry rules.
 *
 * @param groups names of concurrent groups; each must be registered before the execute
 * @param retry what to wait after a failed attempt; {@link Retry#none()} by default
 * @param attemptTimeout the longest one attempt may run, or {@code null} for no limit
 * @param maxWait the longest one attempt may wait for its groups, or {@code null} for no limit
 * @param callTimeout the longest a whole call may take, or {@code null} for no limit
 * @param circuitBreaker the breaker of this execute's attempts, or {@code null} for none (its groups'
 *     breakers apply either way)
 * @param cost what a call counts in its groups' windows
 * @param pauses which failures pause the execute's groups, asked in order
 */
public record ExecuteOptions(List<String> groups, Retry retry, @Nullable Duration attemptTimeout,
        @Nullable Duration maxWait, @Nullable Duration callTimeout, @Nullable CircuitBreaker circuitBreaker,
        CallCost cost, List<PauseRule<?>> pauses) {

    /**
     * Checks the options and copies {@code groups}; prefer {@link #defaults()} or {@link #groups}
     * and the {@code with}-style methods.
     *
     * @param groups names of concurrent groups, none repeated
     * @param retry what to wait after a failed attempt
     * @param attemptTimeout the longest one attempt may run (positive), or {@code null} for no limit
     * @param maxWait the longest one attempt may wait for its groups (zero or more), or {@code null}
     *     for no limit
     * @param callTimeout the longest a whole call may take (positive), or {@code null} for no limit
     * @param circuitBreaker the breaker of this execute's attempts, or {@code null} for none
     * @param cost what a call counts in its groups' windows
     * @param pauses which failures pause the execute's groups (copied)
     * @throws NullPointerException if {@code groups}, a group name, {@code retry}, {@code cost},
     *     {@code pauses} or a rule is null
     * @throws IllegalArgumentException if a group name repeats, or a time limit is out of range
     */
    public ExecuteOptions {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(pauses, "pauses");
        if (pauses.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("pauses must not contain null, were " + pauses);
        }
        pauses = List.copyOf(pauses);
        Objects.requireNonNull(groups, "groups");
        if (groups.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("groups must not contain null, were " + groups);
        }
        groups = List.copyOf(groups);
        Objects.requireNonNull(retry, "retry");
        if (groups.stream().distinct().count() != groups.size()) {
            throw new IllegalArgumentException("groups must not repeat a name, were " + groups);
        }
        positive(attemptTimeout, "attemptTimeout");
        notNegative(maxWait, "maxWait");
        positive(callTimeout, "callTimeout");
    }

    /**
     * Options where every call costs 1 and no failure pauses the groups.
     *
     * @param groups names of concurrent groups, none repeated
     * @param retry what to wait after a failed attempt
     * @param attemptTimeout the longest one attempt may run (positive), or {@code null} for no limit
     * @param maxWait the longest one attempt may wait for its groups (zero or more), or {@code null}
     *     for no limit
     * @param callTimeout the longest a whole call may take (positive), or {@code null} for no limit
     * @param circuitBreaker the breaker of this execute's attempts, or {@code null} for none
     */
    public ExecuteOptions(List<String> groups, Retry retry, @Nullable Duration attemptTimeout,
            @Nullable Duration maxWait, @Nullable Duration callTimeout, @Nullable CircuitBreaker circuitBreaker) {
        this(groups, retry, attemptTimeout, maxWait, callTimeout, circuitBreaker, CallCost.one(), List.of());
    }

    /**
     * Options without a circuit breaker of their own.
     *
     * @param groups names of concurrent groups, none repeated
     * @param retry what to wait after a failed attempt
     * @param attemptTimeout the longest one attempt may run (positive), or {@code null} for no limit
     * @param maxWait the longest one attempt may wait for its groups (zero or more), or {@code null}
     *     for no limit
     * @param callTimeout the longest a whole call may take (positive), or {@code null} for no limit
     */
    public ExecuteOptions(List<String> groups, Retry retry, @Nullable Duration attemptTimeout,
            @Nullable Duration maxWait, @Nullable Duration callTimeout) {
        this(groups, retry, attemptTimeout, maxWait, callTimeout, null);
    }

    /**
     * The options of version 0.1: groups and retry, no time limit.
     *
     * @param groups names of concurrent groups, none repeated
     * @param retry what to wait after a failed attempt
     */
    public ExecuteOptions(List<String> groups, Retry retry) {
        this(groups, retry, null, null, null, null);
    }

    /**
     * No group, no retry, no time limit.
     *
     * @return the default options
     */
    public static ExecuteOptions defaults() {
        return new ExecuteOptions(List.of(), Retry.none());
    }

    /**
     * The defaults with these groups (in any order: they are always taken in creation order).
     *
     * @param groups names of concurrent groups, none repeated; each must be registered before the
     *     execute
     * @return the default options with these groups
     */
    public static ExecuteOptions groups(String... groups) {
        return new ExecuteOptions(Arrays.asList(Objects.requireNonNull(groups, "groups")), Retry.none());
    }

    /**
     * A copy whose failed attempts are retried as {@code retry} says.
     *
     * @param retry what to wait after a failed attempt; {@link Retry#none()} for no retry
     * @return a copy with that retry policy
     */
    public ExecuteOptions retry(Retry retry) {
        return new ExecuteOptions(groups, retry, attemptTimeout, maxWait, callTimeout, circuitBreaker, cost, pauses);
    }

    /**
     * A copy where an attempt still running {@code timeout} after it started is interrupted and fails
     * with {@link AttemptTimeoutException} (retried if a rule matches it).
     *
     * @param timeout the longest one attempt may run, from its start
     * @return a copy with that attempt timeout
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ExecuteOptions attemptTimeout(Duration timeout) {
        return new ExecuteOptions(groups, retry, Objects.requireNonNull(timeout, "attemptTimeout"), maxWait, callTimeout,
                circuitBreaker, cost, pauses);
    }

    /**
     * A copy where an attempt waits at most {@code maxWait} for its groups (slots and window start
     * together), else fails with {@link GroupWaitTimeoutException} holding nothing.
     * {@link Duration#ZERO}: never wait, fail when the groups cannot start it at once.
     *
     * @param maxWait the longest one attempt may wait for its groups
     * @return a copy with that bound
     * @throws IllegalArgumentException if {@code maxWait} is negative
     */
    public ExecuteOptions maxWait(Duration maxWait) {
        return new ExecuteOptions(groups, retry, attemptTimeout, Objects.requireNonNull(maxWait, "maxWait"), callTimeout,
                circuitBreaker, cost, pauses);
    }

    /**
     * A copy where a whole call (attempts, group waits and retry waits) takes at most
     * {@code timeout}, else fails with {@link CallTimeoutException}, never retried.
     *
     * @param timeout the longest a whole call may take, from its start
     * @return a copy with that call timeout
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ExecuteOptions callTimeout(Duration timeout) {
        return new ExecuteOptions(groups, retry, attemptTimeout, maxWait, Objects.requireNonNull(timeout, "callTimeout"),
                circuitBreaker, cost, pauses);
    }

    /**
     * A copy whose attempts first ask {@code breaker} (this execute's own; its groups' breakers are
     * asked after it): an open breaker refuses an attempt before it takes a slot or a window start,
     * with {@link CircuitOpenException} (see {@link CircuitBreaker}).
     *
     * @param breaker the breaker; it belongs to the bot that registers the execute
     * @return a copy with that breaker
     */
    public ExecuteOptions circuitBreaker(CircuitBreaker breaker) {
        return new ExecuteOptions(groups, retry, attemptTimeout, maxWait, callTimeout,
                Objects.requireNonNull(breaker, "circuitBreaker"), cost, pauses);
    }

    /**
     * A copy where every call costs {@code cost} in each window of its groups (a constant per
     * endpoint, such as an exchange's request weight).
     *
     * @param cost what one call counts, zero or more
     * @return a copy with that cost
     * @throws IllegalArgumentException if {@code cost} is negative
     */
    public ExecuteOptions cost(int cost) {
        return withCost(CallCost.constant(cost));
    }

    /**
     * A copy where a call costs what {@code cost} says of its argument (the tokens of a prompt), in
     * each window of its groups. A call whose argument is not an {@code argumentType} fails with an
     * {@link IllegalArgumentException}; a negative cost too.
     *
     * @param argumentType the execute's argument type
     * @param cost the cost of a call with that argument, zero or more
     * @param <A> the execute's argument type
     * @return a copy with that cost
     */
    public <A> ExecuteOptions cost(Class<A> argumentType, ToIntFunction<? super A> cost) {
        return withCost(CallCost.of(argumentType, cost));
    }

    /**
     * A copy where a call's actual cost is known only once it returned (the tokens of an answer): its
     * windows hold the estimate ({@link #cost(int)}, 1 by default) from its start until the attempt
     * ends, then count {@code cost} of the result at the same start instant. A failed attempt, or a
     * result that is not a {@code resultType}, keeps the estimate.
     *
     * @param resultType the execute's result type
     * @param cost the actual cost of a call that returned that result, zero or more
     * @param <R> the execute's result type
     * @return a copy whose costs are settled after each attempt
     */
    public <R> ExecuteOptions costAfter(Class<R> resultType, ToIntFunction<? super R> cost) {
        return withCost(this.cost.settledBy(resultType, cost));
    }

    /**
     * A copy where a failure of type {@code on} pauses every group of the execute for what
     * {@code pause} says ({@code e -> e.retryAfter()}): every caller of the groups then waits on the
     * clock until the pause ends, while attempts already running finish ({@link ConcurrentGroup#pauseUntil}).
     * {@code null} or a non-positive duration pauses nothing. Rules are asked in the order given; the
     * first whose type matches decides.
     *
     * @param on the failures that pause the groups
     * @param pause how long such a failure pauses them
     * @param <E> the failures that pause the groups
     * @return a copy with that rule after the others
     */
    public <E extends Throwable> ExecuteOptions pauseOn(Class<E> on, Function<? super E, @Nullable Duration> pause) {
        List<PauseRule<?>> rules = new ArrayList<>(pauses);
        rules.add(new PauseRule<>(on, pause));
        return new ExecuteOptions(groups, retry, attemptTimeout, maxWait, callTimeout, circuitBreaker, cost, rules);
    }

    private ExecuteOptions withCost(CallCost cost) {
        return new ExecuteOptions(groups, retry, attemptTimeout, maxWait, callTimeout, circuitBreaker, cost, pauses);
    }

    /**
     * Whether any time limit is set.
     *
     * @return true if an attempt timeout, a max wait or a call timeout is set
     */
    public boolean hasTimeLimits() {
        return attemptTimeout != null || maxWait != null || callTimeout != null;
    }

    private static void positive(@Nullable Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    private static void notNegative(@Nullable Duration value, String name) {
        if (value != null && value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
