package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.internal.observe.Observer;
import java.util.List;
import java.util.function.Predicate;

/**
 * What an execute's policies share: its name, its bot's clock and observer, its groups, and how to
 * tell that a call was cancelled. Immutable.
 *
 * <p><b>Cancellation.</b> A call is cancelled when its thread is interrupted, when its
 * {@link Cancellation} token says so (a fork's own flag), or when its bot says the thread's work
 * was cancelled (which takes a lock: asked on slow paths only, after a wait and after a failure).
 * A handler may swallow the interrupt, so the flag alone is not enough.
 */
public final class ExecuteContext {

    private final String execute;
    private final BotClock clock;
    private final Observer observer;
    private final List<? extends ConcurrentGroup> groups;
    private final Predicate<Thread> botCancelled;

    /**
     * @param execute the execute's name
     * @param clock the bot's clock
     * @param observer the bot's observer
     * @param groups the execute's groups, in global order
     * @param botCancelled whether the bot cancelled the work running on a thread
     */
    public ExecuteContext(String execute, BotClock clock, Observer observer, List<? extends ConcurrentGroup> groups,
            Predicate<Thread> botCancelled) {
        this.execute = execute;
        this.clock = clock;
        this.observer = observer;
        this.groups = List.copyOf(groups);
        this.botCancelled = botCancelled;
    }

    public String execute() {
        return execute;
    }

    public BotClock clock() {
        return clock;
    }

    public Observer observer() {
        return observer;
    }

    public List<? extends ConcurrentGroup> groups() {
        return groups;
    }

    /**
     * Whether the call was cancelled: the interrupt flag, the token, and on slow paths
     * ({@code slow}) the bot's word on this thread's work.
     */
    public boolean cancelled(Cancellation token, boolean slow) {
        Thread me = Thread.currentThread();
        return me.isInterrupted() || token.isCancelled() || slow && botCancelled.test(me);
    }
}
