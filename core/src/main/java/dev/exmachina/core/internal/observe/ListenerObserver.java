package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.ConcurrentGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the observer's calls into {@link BotEvent} records for the bot's {@link BotListener}s.
 *
 * <p><b>Concurrency.</b> Immutable but for one flag per listener ("has failed before"), set once;
 * called by any bot thread. A listener that throws is logged at ERROR once, then at DEBUG.
 */
public final class ListenerObserver implements Observer {

    private static final Logger LOG = LoggerFactory.getLogger(BotListener.class);

    private final String bot;
    private final BotClock clock;
    private final Supplier<List<ConcurrentGroup>> groups;
    private final BotListener[] listeners;
    private final AtomicBoolean[] failedBefore;

    public ListenerObserver(String bot, BotClock clock, Supplier<List<ConcurrentGroup>> groups, List<BotListener> listeners) {
        this.bot = bot;
        this.clock = clock;
        this.groups = groups;
        this.listeners = listeners.toArray(BotListener[]::new);
        this.failedBefore = new AtomicBoolean[this.listeners.length];
        for (int i = 0; i < failedBefore.length; i++) {
            failedBefore[i] = new AtomicBoolean();
        }
    }

    /** Tells every listener, through {@code onEvent} then {@code method}; a throwing listener breaks nothing. */
    private <E extends BotEvent> void tell(E event, MethodOf<E> method) {
        for (int i = 0; i < listeners.length; i++) {
            BotListener listener = listeners[i];
            try {
                listener.onEvent(event);
                method.call(listener, event);
            } catch (Throwable t) {
                if (failedBefore[i].compareAndSet(false, true)) {
                    LOG.atError().addKeyValue("bot", bot).addKeyValue("listener", listener).setCause(t)
                            .log("listener {} of bot '{}' failed on {}; the bot goes on (further failures of this listener are logged at DEBUG)",
                                    listener, bot, event.getClass().getSimpleName());
                } else {
                    LOG.atDebug().addKeyValue("bot", bot).addKeyValue("listener", listener).setCause(t)
                            .log("listener {} of bot '{}' failed again", listener, bot);
                }
            }
        }
    }

    @FunctionalInterface
    private interface MethodOf<E> {
        void call(BotListener listener, E event);
    }

    /** How an attempt that threw {@code failure} ended: cancelled if interrupted or cancelled. */
    static BotEvent.Outcome outcome(@Nullable Throwable failure) {
        if (failure == null) {
            return BotEvent.Outcome.SUCCESS;
        }
        if (failure instanceof InterruptedException || failure instanceof CancellationException
                || Thread.currentThread().isInterrupted()) {
            return BotEvent.Outcome.CANCELLED;
        }
        return BotEvent.Outcome.FAILURE;
    }

    @Override
    public void botStarting(String bot) {
        tell(new BotEvent.BotStarted(bot, clock.instant(), groups.get()), BotListener::onBotStarted);
    }

    @Override
    public void botStopped(String bot, @Nullable Throwable failure) {
        tell(new BotEvent.BotStopped(bot, clock.instant(), failure), BotListener::onBotStopped);
    }

    @Override
    public void hookFailed(String bot, Hooks hooks, Throwable failure) {
        tell(new BotEvent.HookFailed(bot, hooks == Hooks.STARTUP, failure), BotListener::onHookFailed);
    }

    @Override
    public void iterationStarted(String emit, long epoch, long lagNanos) {
        tell(new BotEvent.IterationStarted(bot, emit, epoch, Duration.ofNanos(lagNanos)), BotListener::onIterationStarted);
    }

    @Override
    public void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {
        tell(new BotEvent.IterationEnded(bot, emit, epoch, Duration.ofNanos(durationNanos), failure),
                BotListener::onIterationEnded);
    }

    @Override
    public void emitFailed(String emit, Throwable failure, Decision decision, @Nullable Duration restartWait) {
        BotEvent.Decision decided = switch (decision) {
            case STOP_BOT -> BotEvent.Decision.STOP_BOT;
            case CONTINUE -> BotEvent.Decision.CONTINUE;
            case RESTART -> BotEvent.Decision.RESTART;
        };
        tell(new BotEvent.EmitFailed(bot, emit, failure, decided, restartWait), BotListener::onEmitFailed);
    }

    @Override
    public boolean observesAttempts() {
        return listeners.length > 0;
    }

    @Override
    public void attemptStarted(String execute, int attempt, List<? extends ConcurrentGroup> groups) {
        tell(new BotEvent.AttemptStarted(bot, execute, attempt), BotListener::onAttemptStarted);
    }

    @Override
    public void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {
        tell(new BotEvent.AttemptEnded(bot, execute, attempt, outcome(failure), Duration.ofNanos(durationNanos), failure),
                BotListener::onAttemptEnded);
    }

    @Override
    public void groupWaited(String execute, String group, Wait what, long waitedNanos) {
        BotEvent.WaitedFor waitedFor = what == Wait.SLOT ? BotEvent.WaitedFor.SLOT : BotEvent.WaitedFor.WINDOW_START;
        tell(new BotEvent.GroupWaited(bot, execute, group, waitedFor, Duration.ofNanos(waitedNanos)),
                BotListener::onGroupWaited);
    }

    @Override
    public void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {
        tell(new BotEvent.RetryScheduled(bot, execute, retry, wait, cause), BotListener::onRetryScheduled);
    }
}
