package dev.exmachina.retry;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When to retry a failure and how long to wait first. Rules are immutable records, safe to share
 * between threads (as long as their {@link #filter() filter} is); a rule holds no per-call state:
 * the budget of retries is counted by {@link RetryState}.
 *
 * <p>A rule {@linkplain #matches(Throwable) matches} a failure that is an instance of {@link #on()}
 * (subclasses included) and that its {@link #filter()} accepts. {@link #retries()} is the number of
 * retries it grants per call, {@code null} meaning unlimited. {@link #waitBefore(int, RandomGenerator)}
 * is a pure function: the same retry number and an identically seeded generator give the same wait.
 *
 * <pre>{@code
 * RetryRule.fixed(IOException.class, Duration.ofSeconds(1)).retries(5);
 * RetryRule.exponentialAndJitter(IOException.class)
 *         .cap(Duration.ofSeconds(30))
 *         .retries(8)
 *         .filter(e -> !(e instanceof FileNotFoundException));
 * }</pre>
 *
 * <p>A failure may say how long to wait (an HTTP {@code Retry-After}): see {@link #waitFrom(Function)}
 * and the package overview.
 *
 * <p>Every record checks its components when built, withers included: a {@code null} component
 * throws {@link NullPointerException} naming it, a bad value throws
 * {@link IllegalArgumentException} naming the value.
 *
 * @param <E> the type of failure the rule handles
 */
public sealed interface RetryRule<E extends Throwable>
        permits RetryRule.Fixed, RetryRule.Fibonacci, RetryRule.Range, RetryRule.ExponentialAndJitter {

    /**
     * The type of failure this rule handles; subclasses match too.
     *
     * @return the failure type
     */
    Class<E> on();

    /**
     * Retries granted per call.
     *
     * @return the number of retries, or {@code null} for unlimited
     */
    @Nullable Integer retries();

    /**
     * Further condition on the failure; the default accepts every failure.
     *
     * @return the filter
     */
    Predicate<? super E> filter();

    /**
     * A copy of this rule granting {@code retries} retries per call.
     *
     * @param retries the retries per call, {@code >= 0} ({@code 0} = never retries)
     * @return the copy
     * @throws IllegalArgumentException if {@code retries} is negative
     */
    RetryRule<E> retries(int retries);

    /**
     * A copy of this rule that matches only failures {@code filter} accepts; the filter sees the
     * failure as the rule's type, e.g. {@code .filter(e -> e.statusCode() >= 500)}.
     *
     * @param filter the condition a failure must meet
     * @return the copy
     */
    RetryRule<E> filter(Predicate<? super E> filter);

    /**
     * Reads the wait a failure asks for (e.g. its {@code Retry-After}), or {@code null} when it asks
     * for none; by default always {@code null}, so the rule's backoff decides.
     *
     * @return the function that reads a failure's wait
     */
    Function<? super E, @Nullable Duration> waitFrom();

    /**
     * A copy of this rule that takes its wait from the failure when {@code waitFrom} returns one
     * (a negative wait counts as zero), and falls back to its own backoff when it returns
     * {@code null}. The function must be pure and quick: it reads a field of the failure.
     *
     * @param waitFrom reads the wait a failure of the rule's type asks for, or {@code null} for none
     * @return the copy
     */
    RetryRule<E> waitFrom(Function<? super E, @Nullable Duration> waitFrom);

    /**
     * Whether this rule handles {@code failure}.
     *
     * @param failure the failure of an attempt
     * @return whether {@code failure} is of type {@link #on()} and {@link #filter()} accepts it
     */
    default boolean matches(Throwable failure) {
        return on().isInstance(failure) && filter().test(on().cast(failure));
    }

    /**
     * The wait before the {@code retry}-th retry under this rule (1-based). Pure: randomness comes
     * only from {@code random}. Waits too long for a {@code long} of nanoseconds saturate at
     * {@code Long.MAX_VALUE} nanoseconds rather than overflow.
     *
     * @param retry the number of the retry, from 1
     * @param random the source of randomness of the random rules
     * @return the wait, never negative
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    Duration waitBefore(int retry, RandomGenerator random);

    /**
     * The wait before the {@code retry}-th retry under this rule after {@code failure}: the wait
     * {@link #waitFrom()} reads from the failure when the failure is of this rule's type and gives
     * one (negative read as zero), else {@link #waitBefore(int, RandomGenerator)}. Pure as that one
     * is, provided {@code waitFrom} is; the generator is used only when the backoff decides.
     *
     * @param retry the number of the retry, from 1
     * @param failure the failure being retried
     * @param random the source of randomness of the random rules
     * @return the wait, never negative
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    default Duration waitBefore(int retry, Throwable failure, RandomGenerator random) {
        return Backoffs.after(this, retry, failure, random);
    }

    /**
     * Always waits {@code waitTime}; unlimited retries, any failure of type {@code on}.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param waitTime the wait before every retry, {@code >= 0}
     * @return the rule
     */
    static <E extends Throwable> Fixed<E> fixed(Class<E> on, Duration waitTime) {
        return new Fixed<>(on, waitTime, null, AcceptAll.INSTANCE, NoWaitFrom.INSTANCE);
    }

    /**
     * Waits 1, 1, 2, 3, 5, 8, … seconds; see {@link Fibonacci#unit(Duration)} for another unit.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @return the rule, with unlimited retries
     */
    static <E extends Throwable> Fibonacci<E> fibonacci(Class<E> on) {
        return new Fibonacci<>(on, Duration.ofSeconds(1), null, AcceptAll.INSTANCE, NoWaitFrom.INSTANCE);
    }

    /**
     * Waits a uniformly random time in {@code [max(0, min), max(0, max)]}.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param min the shortest wait (a negative one reads as zero)
     * @param max the longest wait, {@code >= min}
     * @return the rule, with unlimited retries
     */
    static <E extends Throwable> Range<E> range(Class<E> on, Duration min, Duration max) {
        return new Range<>(on, min, max, null, AcceptAll.INSTANCE, NoWaitFrom.INSTANCE);
    }

    /**
     * Exponential backoff with full jitter, base 1 s, cap 1 h; see {@link ExponentialAndJitter}.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @return the rule, with unlimited retries
     */
    static <E extends Throwable> ExponentialAndJitter<E> exponentialAndJitter(Class<E> on) {
        return new ExponentialAndJitter<>(on, Duration.ofSeconds(1), Duration.ofHours(1), null, AcceptAll.INSTANCE,
                NoWaitFrom.INSTANCE, false);
    }

    /**
     * Always waits {@code waitTime} ({@code >= 0}). (A record component cannot be called
     * {@code wait}: it would clash with {@link Object#wait()}.)
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param waitTime the wait before every retry
     * @param retries retries per call, {@code null} for unlimited
     * @param filter further condition on the failure
     * @param waitFrom reads the wait a failure asks for, or {@code null} for {@code waitTime}
     */
    record Fixed<E extends Throwable>(Class<E> on, Duration waitTime, @Nullable Integer retries,
            Predicate<? super E> filter, Function<? super E, @Nullable Duration> waitFrom) implements RetryRule<E> {
        /** Checks the components, as the interface says. */
        public Fixed {
            Checks.rule(on, retries, filter, waitFrom);
            Checks.notNegative(waitTime, "waitTime");
        }

        /**
         * The rule of version 0.1, whose waits never come from the failure.
         *
         * @param on the type of failure handled, subclasses included
         * @param waitTime the wait before every retry
         * @param retries retries per call, {@code null} for unlimited
         * @param filter further condition on the failure
         */
        public Fixed(Class<E> on, Duration waitTime, @Nullable Integer retries, Predicate<? super E> filter) {
            this(on, waitTime, retries, filter, NoWaitFrom.INSTANCE);
        }

        @Override
        public Fixed<E> waitFrom(Function<? super E, @Nullable Duration> waitFrom) {
            return new Fixed<>(on, waitTime, retries, filter, waitFrom);
        }

        @Override
        public Fixed<E> retries(int retries) {
            return new Fixed<>(on, waitTime, retries, filter, waitFrom);
        }

        @Override
        public Fixed<E> filter(Predicate<? super E> filter) {
            return new Fixed<>(on, waitTime, retries, filter, waitFrom);
        }

        @Override
        public Duration waitBefore(int retry, RandomGenerator random) {
            Checks.retryNumber(retry);
            return waitTime;
        }
    }

    /**
     * Waits the Fibonacci numbers 1, 1, 2, 3, 5, … times {@code unit} ({@code > 0}).
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param unit the wait of the first retry, and the unit of the others
     * @param retries retries per call, {@code null} for unlimited
     * @param filter further condition on the failure
     * @param waitFrom reads the wait a failure asks for, or {@code null} for the Fibonacci wait
     */
    record Fibonacci<E extends Throwable>(Class<E> on, Duration unit, @Nullable Integer retries,
            Predicate<? super E> filter, Function<? super E, @Nullable Duration> waitFrom) implements RetryRule<E> {
        /** Checks the components, as the interface says. */
        public Fibonacci {
            Checks.rule(on, retries, filter, waitFrom);
            Checks.positive(unit, "unit");
        }

        /**
         * The rule of version 0.1, whose waits never come from the failure.
         *
         * @param on the type of failure handled, subclasses included
         * @param unit the unit the Fibonacci numbers multiply
         * @param retries retries per call, {@code null} for unlimited
         * @param filter further condition on the failure
         */
        public Fibonacci(Class<E> on, Duration unit, @Nullable Integer retries, Predicate<? super E> filter) {
            this(on, unit, retries, filter, NoWaitFrom.INSTANCE);
        }

        @Override
        public Fibonacci<E> waitFrom(Function<? super E, @Nullable Duration> waitFrom) {
            return new Fibonacci<>(on, unit, retries, filter, waitFrom);
        }

        /**
         * A copy of this rule whose waits are multiples of {@code unit} instead of seconds.
         *
         * @param unit the new unit, {@code > 0}
         * @return the copy
         */
        public Fibonacci<E> unit(Duration unit) {
            return new Fibonacci<>(on, unit, retries, filter, waitFrom);
        }

        @Override
        public Fibonacci<E> retries(int retries) {
            return new Fibonacci<>(on, unit, retries, filter, waitFrom);
        }

        @Override
        public Fibonacci<E> filter(Predicate<? super E> filter) {
            return new Fibonacci<>(on, unit, retries, filter, waitFrom);
        }

        @Override
        public Duration waitBefore(int retry, RandomGenerator random) {
            return Backoffs.fibonacci(retry, unit);
        }
    }

    /**
     * Waits a uniformly random time, to the nanosecond, in {@code [max(0, min), max(0, max)]}.
     * Negative bounds are kept as given and read as zero (as the Python original does);
     * {@code min > max} is an error.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param min the shortest wait
     * @param max the longest wait
     * @param retries retries per call, {@code null} for unlimited
     * @param filter further condition on the failure
     * @param waitFrom reads the wait a failure asks for, or {@code null} for the random wait
     */
    record Range<E extends Throwable>(Class<E> on, Duration min, Duration max, @Nullable Integer retries,
            Predicate<? super E> filter, Function<? super E, @Nullable Duration> waitFrom) implements RetryRule<E> {
        /** Checks the components, as the interface says. */
        public Range {
            Checks.rule(on, retries, filter, waitFrom);
            Checks.atMost(min, "min", max, "max");
        }

        /**
         * The rule of version 0.1, whose waits never come from the failure.
         *
         * @param on the type of failure handled, subclasses included
         * @param min the shortest wait
         * @param max the longest wait
         * @param retries retries per call, {@code null} for unlimited
         * @param filter further condition on the failure
         */
        public Range(Class<E> on, Duration min, Duration max, @Nullable Integer retries, Predicate<? super E> filter) {
            this(on, min, max, retries, filter, NoWaitFrom.INSTANCE);
        }

        @Override
        public Range<E> waitFrom(Function<? super E, @Nullable Duration> waitFrom) {
            return new Range<>(on, min, max, retries, filter, waitFrom);
        }

        @Override
        public Range<E> retries(int retries) {
            return new Range<>(on, min, max, retries, filter, waitFrom);
        }

        @Override
        public Range<E> filter(Predicate<? super E> filter) {
            return new Range<>(on, min, max, retries, filter, waitFrom);
        }

        @Override
        public Duration waitBefore(int retry, RandomGenerator random) {
            return Backoffs.uniform(retry, min, max, random);
        }
    }

    /**
     * Exponential backoff with full jitter: the first retry waits {@code base}; retry {@code n >= 2}
     * waits a uniformly random time in {@code [0, min(cap, base * 2^(n-1))]}. The jitter spreads
     * the retries of many callers that failed together. Requires {@code 0 < base <= cap}; when
     * raising the base above the default cap of 1 h, set the cap first.
     *
     * <p>With {@link #jitterFirst()} the first retry is jittered too: uniform in {@code [0, base]},
     * so that callers that failed together (a burst answered 503 at once) do not all come back at
     * the same instant.
     *
     * @param <E> the type of failure
     * @param on the type of failure handled, subclasses included
     * @param base the first wait, and the unit of the growth
     * @param cap the longest wait
     * @param retries retries per call, {@code null} for unlimited
     * @param filter further condition on the failure
     * @param waitFrom reads the wait a failure asks for, or {@code null} for the backoff's
     * @param jitterFirst whether the first retry is jittered too, uniform in {@code [0, base]}
     */
    record ExponentialAndJitter<E extends Throwable>(Class<E> on, Duration base, Duration cap,
            @Nullable Integer retries, Predicate<? super E> filter,
            Function<? super E, @Nullable Duration> waitFrom, boolean jitterFirst) implements RetryRule<E> {
        /** Checks the components, as the interface says. */
        public ExponentialAndJitter {
            Checks.rule(on, retries, filter, waitFrom);
            Checks.positive(base, "base");
            Checks.atLeast(cap, "cap", base, "base");
        }

        /**
         * The rule of version 0.1: waits never from the failure, the first one not jittered.
         *
         * @param on the type of failure handled, subclasses included
         * @param base the first wait, and the unit of the growth
         * @param cap the longest wait
         * @param retries retries per call, {@code null} for unlimited
         * @param filter further condition on the failure
         */
        public ExponentialAndJitter(Class<E> on, Duration base, Duration cap, @Nullable Integer retries,
                Predicate<? super E> filter) {
            this(on, base, cap, retries, filter, NoWaitFrom.INSTANCE, false);
        }

        @Override
        public ExponentialAndJitter<E> waitFrom(Function<? super E, @Nullable Duration> waitFrom) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        /**
         * A copy of this rule whose first retry waits a uniformly random time in {@code [0, base]}
         * (with {@code true}), or exactly {@code base} (with {@code false}, the default).
         *
         * @param jitterFirst whether the first retry is jittered too
         * @return the copy
         */
        public ExponentialAndJitter<E> jitterFirst(boolean jitterFirst) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        /**
         * A copy of this rule whose first wait, and the unit of its growth, is {@code base}.
         *
         * @param base the new base, {@code > 0} and {@code <= cap}
         * @return the copy
         */
        public ExponentialAndJitter<E> base(Duration base) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        /**
         * A copy of this rule whose random waits never exceed {@code cap}.
         *
         * @param cap the new cap, {@code >= base}
         * @return the copy
         */
        public ExponentialAndJitter<E> cap(Duration cap) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        @Override
        public ExponentialAndJitter<E> retries(int retries) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        @Override
        public ExponentialAndJitter<E> filter(Predicate<? super E> filter) {
            return new ExponentialAndJitter<>(on, base, cap, retries, filter, waitFrom, jitterFirst);
        }

        @Override
        public Duration waitBefore(int retry, RandomGenerator random) {
            return Backoffs.exponentialAndJitter(retry, base, cap, jitterFirst, random);
        }
    }
}
