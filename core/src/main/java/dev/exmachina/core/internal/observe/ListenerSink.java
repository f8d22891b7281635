package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bot's {@link BotListener}s as a sink: each event goes to {@link BotListener#onEvent} then to the
 * method of its kind, listener after listener in registration order.
 *
 * <p><b>Concurrency.</b> Immutable but for one flag per listener ("has failed before"), set once;
 * called by any bot thread. A listener that throws is logged at ERROR once, then at DEBUG: that is
 * the one thing a bot logs that no listener is told (a listener cannot be told its own failure).
 */
public final class ListenerSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(BotListener.class);

    private final BotListener[] listeners;
    private final AtomicBoolean[] failedBefore;

    /** @param listeners at least one */
    public ListenerSink(List<BotListener> listeners) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a listener sink needs a listener");
        }
        this.listeners = listeners.toArray(BotListener[]::new);
        this.failedBefore = new AtomicBoolean[this.listeners.length];
        for (int i = 0; i < failedBefore.length; i++) {
            failedBefore[i] = new AtomicBoolean();
        }
    }

    @Override
    public boolean observesAttempts() {
        return true;
    }

    /** Tells every listener; a throwing listener breaks nothing. */
    @Override
    public void on(BotEvent event) {
        for (int i = 0; i < listeners.length; i++) {
            BotListener listener = listeners[i];
            try {
                listener.onEvent(event);
                tell(listener, event);
            } catch (Throwable t) {
                if (failedBefore[i].compareAndSet(false, true)) {
                    LOG.atError().addKeyValue("bot", event.bot()).addKeyValue("listener", listener).setCause(t)
                            .log("listener {} of bot '{}' failed on {}; the bot goes on (further failures of this listener are logged at DEBUG)",
                                    listener, event.bot(), event.getClass().getSimpleName());
                } else {
                    LOG.atDebug().addKeyValue("bot", event.bot()).addKeyValue("listener", listener).setCause(t)
                            .log("listener {} of bot '{}' failed again", listener, event.bot());
                }
            }
        }
    }

    /** The method of {@code event}'s kind. */
    private static void tell(BotListener listener, BotEvent event) {
        switch (event) {
            case BotEvent.BotStarted e -> listener.onBotStarted(e);
            case BotEvent.BotStopped e -> listener.onBotStopped(e);
            case BotEvent.HookFailed e -> listener.onHookFailed(e);
            case BotEvent.ClosedFromInside e -> listener.onClosedFromInside(e);
            case BotEvent.GraceExpired e -> listener.onGraceExpired(e);
            case BotEvent.EmitStarted e -> listener.onEmitStarted(e);
            case BotEvent.EmitEnded e -> listener.onEmitEnded(e);
            case BotEvent.StartRefused e -> listener.onStartRefused(e);
            case BotEvent.IterationStarted e -> listener.onIterationStarted(e);
            case BotEvent.IterationEnded e -> listener.onIterationEnded(e);
            case BotEvent.IterationOverran e -> listener.onIterationOverran(e);
            case BotEvent.IterationSkipped e -> listener.onIterationSkipped(e);
            case BotEvent.EmitFailed e -> listener.onEmitFailed(e);
            case BotEvent.FailedAfterCancel e -> listener.onFailedAfterCancel(e);
            case BotEvent.LeaseFailed e -> listener.onLeaseFailed(e);
            case BotEvent.AttemptStarted e -> listener.onAttemptStarted(e);
            case BotEvent.AttemptEnded e -> listener.onAttemptEnded(e);
            case BotEvent.AttemptOverran e -> listener.onAttemptOverran(e);
            case BotEvent.GroupWaited e -> listener.onGroupWaited(e);
            case BotEvent.RetryScheduled e -> listener.onRetryScheduled(e);
            case BotEvent.UnjoinedFailure e -> listener.onUnjoinedFailure(e);
            case BotEvent.CircuitStateChanged e -> listener.onCircuitStateChanged(e);
            case BotEvent.GroupPaused e -> listener.onGroupPaused(e);
            case BotEvent.GroupLimitsChanged e -> listener.onGroupLimitsChanged(e);
        }
    }

    @Override
    public String toString() {
        return "ListenerSink" + List.of(listeners);
    }
}
