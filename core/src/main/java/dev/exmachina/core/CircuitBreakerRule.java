package dev.exmachina.core;

import dev.exmachina.core.internal.breaker.AcceptAll;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which failures of an attempt a {@link CircuitBreaker} counts. Rules are immutable records, safe to
 * share between threads (as long as their {@link #filter() filter} is), shaped like the retry rules:
 * a type ({@link #on()}, subclasses included) and a {@link #filter()} on the failure.
 *
 * <p>A breaker asks its rules in order, and the first that {@linkplain #matches(Throwable) matches}
 * decides: {@link Counts} makes the failure count as a failure, {@link Ignores} leaves it out of the
 * counts altogether (as if the attempt had not been made; a probe's permit comes back). A failure that
 * no rule matches counts as a success: the API answered, the caller's request was at fault. With no
 * rule (the default) every failure counts.
 *
 * <pre>{@code
 * CircuitBreaker.builder("exchange")
 *         .rules(CircuitBreakerRule.ignores(ApiException.class).filter(e -> e.status() == 429),
 *                CircuitBreakerRule.counts(ApiException.class).filter(e -> e.status() >= 500),
 *                CircuitBreakerRule.counts(IOException.class))
 *         .build();
 * }</pre>
 *
 * <p>Whatever the rules say, a cancelled attempt (an interrupt, {@link Forked#cancel()},
 * {@code close()}) and an attempt stopped by its call's deadline ({@link CallTimeoutException}) are
 * never counted: they say nothing about the API.
 *
 * @param <E> the type of failure the rule handles
 */
public sealed interface CircuitBreakerRule<E extends Throwable>
        permits CircuitBreakerRule.Counts, CircuitBreakerRule.Ignores {

    /**
     * The type of failure this rule handles; subclasses match too.
     *
     * @return the failure type
     */
    Class<E> on();

    /**
     * Further condition on the failure; the default accepts every failure.
     *
     * @return the filter
     */
    Predicate<? super E> filter();

    /**
     * A copy of this rule that matches only failures {@code filter} accepts; the filter sees the
     * failure as the rule's type, e.g. {@code .filter(e -> e.status() >= 500)}.
     *
     * @param filter the condition a failure must meet
     * @return the copy
     */
    CircuitBreakerRule<E> filter(Predicate<? super E> filter);

    /**
     * Whether this rule decides about {@code failure}.
     *
     * @param failure the failure of an attempt
     * @return whether {@code failure} is of type {@link #on()} and {@link #filter()} accepts it
     */
    default boolean matches(Throwable failure) {
        return on().isInstance(failure) && filter().test(on().cast(failure));
    }

    /**
     * Failures of type {@code on} count as failures.
     *
     * @param <E> the type of failure
     * @param on the type of failure counted, subclasses included
     * @return the rule, accepting every failure of that type
     */
    static <E extends Throwable> Counts<E> counts(Class<E> on) {
        return new Counts<>(on, AcceptAll.INSTANCE);
    }

    /**
     * Failures of type {@code on} are not counted at all.
     *
     * @param <E> the type of failure
     * @param on the type of failure left out, subclasses included
     * @return the rule, accepting every failure of that type
     */
    static <E extends Throwable> Ignores<E> ignores(Class<E> on) {
        return new Ignores<>(on, AcceptAll.INSTANCE);
    }

    /**
     * A matching failure counts as a failure of the call.
     *
     * @param <E> the type of failure
     * @param on the type of failure counted, subclasses included
     * @param filter further condition on the failure
     */
    record Counts<E extends Throwable>(Class<E> on, Predicate<? super E> filter) implements CircuitBreakerRule<E> {
        /**
         * Checks the components.
         *
         * @throws NullPointerException naming the component that is null
         */
        public Counts {
            Objects.requireNonNull(on, "on must not be null");
            Objects.requireNonNull(filter, "filter must not be null");
        }

        @Override
        public Counts<E> filter(Predicate<? super E> filter) {
            return new Counts<>(on, filter);
        }
    }

    /**
     * A matching failure is not counted: neither a failure nor a success, as if the attempt had not
     * been made (in half-open, its probe's permit comes back).
     *
     * @param <E> the type of failure
     * @param on the type of failure left out, subclasses included
     * @param filter further condition on the failure
     */
    record Ignores<E extends Throwable>(Class<E> on, Predicate<? super E> filter) implements CircuitBreakerRule<E> {
        /**
         * Checks the components.
         *
         * @throws NullPointerException naming the component that is null
         */
        public Ignores {
            Objects.requireNonNull(on, "on must not be null");
            Objects.requireNonNull(filter, "filter must not be null");
        }

        @Override
        public Ignores<E> filter(Predicate<? super E> filter) {
            return new Ignores<>(on, filter);
        }
    }
}
