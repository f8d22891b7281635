package dev.exmachina.core.internal.observe;

import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.ConcurrentGroup;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Several observers as one: each call goes to each, in order. {@link #observesAttempts()} is true
 * when any of them wants attempts, and then attempt events go only to those that do. Immutable.
 */
public final class Observers implements Observer {

    private final Observer[] all;

    private Observers(List<Observer> all) {
        this.all = all.toArray(Observer[]::new);
    }

    /** One observer for all of {@code observers}: itself when there is one, {@link #NONE} when none. */
    public static Observer of(List<Observer> observers) {
        return switch (observers.size()) {
            case 0 -> NONE;
            case 1 -> observers.getFirst();
            default -> new Observers(List.copyOf(observers));
        };
    }

    @Override
    public void botStarting(String bot) {
        for (Observer o : all) {
            o.botStarting(bot);
        }
    }

    @Override
    public void botStopped(String bot, @Nullable Throwable failure) {
        for (Observer o : all) {
            o.botStopped(bot, failure);
        }
    }

    @Override
    public void hookFailed(String bot, Hooks hooks, Throwable failure) {
        for (Observer o : all) {
            o.hookFailed(bot, hooks, failure);
        }
    }

    @Override
    public void closedFromInside(String bot) {
        for (Observer o : all) {
            o.closedFromInside(bot);
        }
    }

    @Override
    public void graceExpired(String bot, Duration gracePeriod) {
        for (Observer o : all) {
            o.graceExpired(bot, gracePeriod);
        }
    }

    @Override
    public void emitAlreadyRunning(String emit) {
        for (Observer o : all) {
            o.emitAlreadyRunning(emit);
        }
    }

    @Override
    public void emitNotStartedStopping(String emit) {
        for (Observer o : all) {
            o.emitNotStartedStopping(emit);
        }
    }

    @Override
    public void emitStarted(String emit, int running) {
        for (Observer o : all) {
            o.emitStarted(emit, running);
        }
    }

    @Override
    public void emitEnded(String emit, long epochs) {
        for (Observer o : all) {
            o.emitEnded(emit, epochs);
        }
    }

    @Override
    public void iterationStarted(String emit, long epoch, long lagNanos) {
        for (Observer o : all) {
            o.iterationStarted(emit, epoch, lagNanos);
        }
    }

    @Override
    public void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {
        for (Observer o : all) {
            o.iterationEnded(emit, epoch, durationNanos, failure);
        }
    }

    @Override
    public void iterationOverran(String emit, long lagNanos) {
        for (Observer o : all) {
            o.iterationOverran(emit, lagNanos);
        }
    }

    @Override
    public void emitFailed(String emit, Throwable failure, Decision decision, @Nullable Duration restartWait) {
        for (Observer o : all) {
            o.emitFailed(emit, failure, decision, restartWait);
        }
    }

    @Override
    public void failedAfterCancel(String emit, Throwable failure) {
        for (Observer o : all) {
            o.failedAfterCancel(emit, failure);
        }
    }

    @Override
    public void unjoinedFailure(String emit, String execute, Throwable failure) {
        for (Observer o : all) {
            o.unjoinedFailure(emit, execute, failure);
        }
    }

    @Override
    public boolean observesAttempts() {
        for (Observer o : all) {
            if (o.observesAttempts()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void attemptStarted(String execute, int attempt, List<? extends ConcurrentGroup> groups) {
        for (Observer o : all) {
            if (o.observesAttempts()) {
                o.attemptStarted(execute, attempt, groups);
            }
        }
    }

    @Override
    public void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {
        for (Observer o : all) {
            if (o.observesAttempts()) {
                o.attemptEnded(execute, attempt, groups, durationNanos, failure);
            }
        }
    }

    @Override
    public void groupWaited(String execute, String group, Wait what, long waitedNanos) {
        for (Observer o : all) {
            o.groupWaited(execute, group, what, waitedNanos);
        }
    }

    @Override
    public void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {
        for (Observer o : all) {
            o.retryScheduled(execute, retry, wait, cause);
        }
    }

    @Override
    public void attemptOverran(String execute, int attempt, Duration timeout, long overranNanos) {
        for (Observer o : all) {
            o.attemptOverran(execute, attempt, timeout, overranNanos);
        }
    }

    @Override
    public void circuitStateChanged(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to,
            @Nullable Duration openWait) {
        for (Observer o : all) {
            o.circuitStateChanged(breaker, from, to, openWait);
        }
    }
}
