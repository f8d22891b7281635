package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The call's deadline ({@code callTimeout}), outermost: set once when the call begins, on the bot
 * clock, and handed to every policy inside as a {@link Deadline}. Holds nothing else and gives
 * nothing back. The policies inside keep it: a retry wait that would end at or past it fails the
 * call at once, a group wait gives up at it, an attempt running at it is interrupted
 * ({@link AttemptTimeout}). Each then fails the call with a
 * {@link dev.exmachina.core.CallTimeoutException}, which no retry rule retries.
 */
public final class CallDeadline implements Policy {

    private final String execute;
    private final BotClock clock;
    private final Duration timeout;

    /**
     * @param execute the execute's name
     * @param clock the bot's clock
     * @param timeout the longest a whole call may take
     */
    public CallDeadline(String execute, BotClock clock, Duration timeout) {
        this.execute = execute;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public Place place() {
        return Place.CALL_DEADLINE;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline none, int attempt) -> inner.run(argument, token,
                Deadline.of(execute, Waits.deadline(clock.nanoTime(), timeout), timeout), attempt);
    }

    @Override
    public String toString() {
        return "call deadline " + timeout;
    }
}
