package dev.exmachina.retry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

/**
 * An ordered list of {@link RetryRule}s: what to retry, how often and how long to wait. Immutable
 * and thread-safe (given thread-safe rule filters and listener); one instance serves any number of
 * concurrent calls, each with its own budget, held in the {@link RetryState} that
 * {@link #start(RandomGenerator)} returns.
 *
 * <pre>{@code
 * Retry retry = Retry.of(
 *         RetryRule.fixed(RateLimited.class, Duration.ofSeconds(10)).retries(3),
 *         RetryRule.exponentialAndJitter(IOException.class).retries(5));
 * String body = retry.call(() -> http.get(url));
 * }</pre>
 *
 * <p>The rules are asked in order after each failure; see {@link RetryState#onFailure(Throwable)}.
 * A failure no rule applies to propagates unchanged, never wrapped.
 */
public final class Retry {
    private static final RetryListener SILENT = event -> {};
    private static final Retry NONE = new Retry(List.of(), SILENT);

    private final List<RetryRule<?>> rules;
    private final RetryListener listener;

    private Retry(List<RetryRule<?>> rules, RetryListener listener) {
        this.rules = rules;
        this.listener = listener;
    }

    /**
     * Retries by {@code rules}, asked in the order given.
     *
     * @param rules the rules, at least one
     * @return the retry, with no listener
     * @throws IllegalArgumentException if no rule is given ({@link #none()} says that on purpose)
     * @throws NullPointerException if the array or a rule is {@code null}
     */
    public static Retry of(RetryRule<?>... rules) {
        Objects.requireNonNull(rules, "rules must not be null");
        return of(Arrays.asList(rules));
    }

    /**
     * As {@link #of(RetryRule[])}; the list is copied.
     *
     * @param rules the rules, at least one
     * @return the retry, with no listener
     */
    public static Retry of(List<? extends RetryRule<?>> rules) {
        Objects.requireNonNull(rules, "rules must not be null");
        if (rules.isEmpty()) {
            // An empty list is more likely a bug (a list not yet filled) than a wish never to retry.
            throw new IllegalArgumentException("rules must not be empty; use Retry.none() to never retry");
        }
        for (int i = 0; i < rules.size(); i++) {
            Objects.requireNonNull(rules.get(i), "rules[" + i + "] must not be null");
        }
        return new Retry(List.copyOf(rules), SILENT);
    }

    /**
     * Never retries: every failure propagates after the first attempt.
     *
     * @return the retry that has no rule
     */
    public static Retry none() {
        return NONE;
    }

    /**
     * A copy of this retry that tells {@code listener} of each retry, instead of any listener set before.
     *
     * @param listener told of each retry, before its wait
     * @return the copy
     */
    public Retry listener(RetryListener listener) {
        return new Retry(rules, Objects.requireNonNull(listener, "listener must not be null"));
    }

    /**
     * The rules, in the order they are asked.
     *
     * @return the rules, unmodifiable
     */
    public List<RetryRule<?>> rules() {
        return rules;
    }

    /**
     * The state of a new call: every rule with its full budget, waits drawn from {@code random}.
     *
     * @param random the source of the random waits of this call
     * @return the state, for one call
     */
    public RetryState start(RandomGenerator random) {
        return new RetryState(rules, listener, Objects.requireNonNull(random, "random must not be null"));
    }

    /**
     * Runs {@code task} until it succeeds or a failure is not retried, sleeping with
     * {@link Thread#sleep(Duration)} between attempts and drawing random waits from a new
     * {@link SplittableRandom}. See {@link #call(Callable, Sleeper, RandomGenerator)}.
     *
     * @param <T> what the task returns
     * @param task the attempt, called until it succeeds or its failure is not retried
     * @return what the first successful attempt returned
     * @throws Exception the failure of the last attempt, unchanged, when no rule retries it
     */
    public <T> T call(Callable<T> task) throws Exception {
        return call(task, Thread::sleep, new SplittableRandom());
    }

    /**
     * Runs {@code task} until it succeeds or a failure is not retried, waiting with
     * {@code sleeper} between attempts.
     *
     * @param <T> what the task returns
     * @param task the attempt, called until it succeeds or its failure is not retried
     * @param sleeper waits between attempts
     * @param random the source of the random waits
     * @return what the first successful attempt returned
     * @throws Exception the failure of the last attempt, unchanged (the very instance, checked
     *     exceptions and errors alike), when no rule retries it
     * @throws InterruptedException if {@code sleeper} is interrupted while waiting: the loop stops,
     *     the thread's interrupt flag is set again (so code that does not see this exception still
     *     sees the interrupt), and the failure that led to the wait is attached as suppressed
     */
    public <T> T call(Callable<T> task, Sleeper sleeper, RandomGenerator random) throws Exception {
        Objects.requireNonNull(task, "task must not be null");
        Objects.requireNonNull(sleeper, "sleeper must not be null");
        RetryState state = start(random);
        while (true) {
            try {
                return task.call();
            } catch (Throwable failure) {
                Duration wait = state.onFailure(failure);
                if (wait == null) {
                    throw failure; // precise rethrow: only Exception or unchecked can reach here
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    interrupted.addSuppressed(failure);
                    throw interrupted;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Retry" + rules;
    }
}
