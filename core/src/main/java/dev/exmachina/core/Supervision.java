package dev.exmachina.core;

import dev.exmachina.retry.Retry;
import java.util.Objects;

/** What happens when an emit's handler throws. Immutable. */
public sealed interface Supervision {

    /**
     * The default: the bot stops, and {@link Machina#run()} throws with the failure as its cause.
     *
     * @return the stop-bot policy, one shared instance
     */
    static Supervision stopBot() {
        return StopBot.INSTANCE;
    }

    /**
     * Log the failure at ERROR and go on with the next iteration after the usual interval.
     *
     * @return the log-and-continue policy, one shared instance
     */
    static Supervision logAndContinue() {
        return LogAndContinue.INSTANCE;
    }

    /**
     * Restart: go on with the next iteration after a wait taken from {@code retry}, whose budgets
     * count consecutive failures and start afresh after an iteration succeeds. When no rule of
     * {@code retry} applies, the failure stops the bot as with {@link #stopBot()}. If the policy
     * itself throws (a rule's filter or the retry listener), the bot stops with that exception as the
     * cause of {@link Machina#run()}'s exception, the handler's failure suppressed in it.
     *
     * @param retry the rules that give the wait before the next iteration and how many consecutive
     *     failures are tolerated
     * @return the restart policy
     */
    static Supervision restart(Retry retry) {
        return new Restart(retry);
    }

    /** See {@link #stopBot()}. */
    enum StopBot implements Supervision {
        /** The only instance, which {@link Supervision#stopBot()} returns. */
        INSTANCE
    }

    /** See {@link #logAndContinue()}. */
    enum LogAndContinue implements Supervision {
        /** The only instance, which {@link Supervision#logAndContinue()} returns. */
        INSTANCE
    }

    /**
     * See {@link #restart(Retry)}.
     *
     * @param retry the rules that give the waits before restarts and their budgets
     */
    record Restart(Retry retry) implements Supervision {
        /** Checks the components: {@code retry} is not {@code null}. */
        public Restart {
            Objects.requireNonNull(retry, "retry");
        }
    }
}
