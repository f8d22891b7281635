package dev.exmachina.core;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One iteration of an emit, handed to its handler.
 *
 * <p><b>Concurrency.</b> An event belongs to the thread running its handler and lives as long as
 * that iteration: using it from another thread throws {@link WrongThreadException}, using it after
 * the iteration throws {@link IllegalStateException}.
 */
public interface Event {

    /**
     * The emit's name.
     *
     * @return the name the emit was registered under
     */
    String name();

    /**
     * This iteration's number within the emit's current run.
     *
     * @return 1, 2, … within this run of the emit
     */
    long epoch();

    /**
     * How long the previous iteration's handler took. Forked executes still running when the
     * handler returned are not included: they belong to the emit's run.
     *
     * @return the previous handler's duration on the bot's clock; zero on the first iteration
     */
    Duration previousExecutionTime();

    /**
     * Iterations left after this one.
     *
     * @return the iterations left in this run; empty when the emit runs forever
     */
    OptionalLong count();

    /**
     * When this iteration was due by the emit's {@link Schedule}: the instant a cron expression
     * named, the end of the previous iteration plus the interval of a fixed delay, and so on. After a
     * restart wait ({@link Supervision#restart}), the end of that wait.
     *
     * @return the scheduled instant, on the bot's clock: the instant the iteration began, minus
     *     {@link #lateness()}
     */
    default Instant scheduledAt() {
        return now().minus(lateness());
    }

    /**
     * How late this iteration began after {@link #scheduledAt()}: the previous iteration ran past
     * it, the machine was paused, or the wall clock jumped (see {@link Schedule.Misfire}).
     *
     * @return the delay, zero when on time (a few microseconds of waking up count too)
     */
    default Duration lateness() {
        return Duration.ZERO;
    }

    /**
     * The bot clock's current instant: virtual time in tests.
     *
     * @return the bot clock's current instant
     */
    Instant now();

    /**
     * Starts a stopped emit (a finished counted emit runs its count again). An emit already running
     * is left alone, with a warning: there is never a second copy.
     *
     * @param emit the name of the emit to start
     * @throws IllegalArgumentException if no emit has that name
     */
    void start(String emit);

    /**
     * Stops an emit gracefully: its current iteration finishes, no further one starts. A start not yet
     * begun is not undone: its first iteration runs (only {@link #cancel} prevents it); but on a cron
     * {@link Schedule} the wait for the first scheduled instant is not a start, and a stop during it
     * ends the emit with no iteration. An emit that is not alive is left alone.
     *
     * @param emit the name of the emit to stop; this iteration's own emit included
     */
    void stop(String emit);

    /**
     * Cancels an emit now: its thread and its forked executes are interrupted; a start not yet begun
     * runs no iteration, a fork not yet begun never runs. What the handler throws because of the cancel
     * (an {@link InterruptedException}, a cancelled join) is not a failure; any other failure it throws
     * afterwards is logged at ERROR, and does not stop the bot.
     *
     * @param emit the name of the emit to cancel
     */
    void cancel(String emit);

    /**
     * Runs {@code execute} in a new thread of the emit's current run. The fork may outlive this
     * iteration (the next one may begin while it runs), not the emit: the emit's run ends only after
     * every execute it forked has.
     *
     * @param <A> the argument type
     * @param <R> the result type
     * @param execute an execute registered with this bot
     * @param argument passed to the handler, on every attempt
     * @return the fork: {@link Forked#join() join} it for the result, or cancel it
     * @throws IllegalArgumentException if {@code execute} belongs to another bot
     */
    <A extends @Nullable Object, R extends @Nullable Object> Forked<R> execute(Execute<A, R> execute, A argument);

    /**
     * Runs the execute registered under {@code execute}, as {@link #execute(Execute, Object)}: for a
     * bot that refers to its executes by name.
     *
     * @param execute the execute's name
     * @param argument passed to the handler, on every attempt; it must be of the execute's argument
     *     type
     * @return the fork: {@link Forked#join() join} it for the result, or cancel it
     * @throws IllegalArgumentException if no execute has that name
     */
    Forked<?> execute(String execute, @Nullable Object argument);

    /**
     * The fencing token of a singleton emit's lease ({@link EmitOptions#singleton}): the same for
     * every iteration of one holding, strictly greater for each new holder across the fleet. Pass it
     * to the systems the handler writes to, so they can refuse writes of a holder that lost its
     * lease.
     *
     * @return the token of the current holding; empty for an ordinary emit
     */
    default OptionalLong fencingToken() {
        return OptionalLong.empty();
    }

    /**
     * Waits on the bot's clock: real time by default, virtual time in tests. Prefer it to
     * {@link Thread#sleep}, which a virtual clock cannot advance.
     *
     * @param duration how long to wait
     * @throws InterruptedException if the thread is interrupted while waiting, as when the emit is
     *     cancelled
     */
    void sleep(Duration duration) throws InterruptedException;
}
