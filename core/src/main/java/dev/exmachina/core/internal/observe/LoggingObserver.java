package dev.exmachina.core.internal.observe;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Emit;
import dev.exmachina.core.Execute;
import dev.exmachina.core.Forked;
import dev.exmachina.core.Intervals;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's slf4j logging, as an {@link Observer}: TRACE for iterations, DEBUG for runs and attempts, WARN for retries,
 * lag and refused starts, ERROR for failures. Key-value pairs name the emit, execute or bot.
 * Stateless and thread-safe.
 */
public final class LoggingObserver implements Observer {

    public static final LoggingObserver INSTANCE = new LoggingObserver();

    private static final Logger BOT = LoggerFactory.getLogger("dev.exmachina.core.Machina");
    private static final Logger EMIT = LoggerFactory.getLogger(Emit.class);
    private static final Logger EXECUTE = LoggerFactory.getLogger(Execute.class);
    private static final Logger FORKED = LoggerFactory.getLogger(Forked.class);

    private LoggingObserver() {}

    @Override
    public void botStarting(String bot) {
        BOT.atDebug().addKeyValue("bot", bot).log("bot '{}' starting", bot);
    }

    @Override
    public void botStopped(String bot, @Nullable Throwable failure) {
        BOT.atDebug().addKeyValue("bot", bot).log("bot '{}' stopped", bot);
    }

    @Override
    public void hookFailed(String bot, Hooks hooks, Throwable failure) {
        String kind = hooks == Hooks.STARTUP ? "startup" : "shutdown";
        BOT.atError().addKeyValue("bot", bot).setCause(failure).log("{} hook of bot '{}' failed", kind, bot);
    }

    @Override
    public void closedFromInside(String bot) {
        BOT.atDebug().addKeyValue("bot", bot).log("bot '{}' closed from its own thread; not waiting for it", bot);
    }

    @Override
    public void graceExpired(String bot, Duration gracePeriod) {
        BOT.atWarn().addKeyValue("bot", bot).log("bot '{}' did not stop within {}; cancelling", bot, human(gracePeriod));
    }

    @Override
    public void emitAlreadyRunning(String emit) {
        BOT.atWarn().addKeyValue("emit", emit).log("emit '{}' is already running; not starting a second copy", emit);
    }

    @Override
    public void emitNotStartedStopping(String emit) {
        BOT.atDebug().addKeyValue("emit", emit).log("emit '{}' not started: the bot is stopping", emit);
    }

    @Override
    public void emitStarted(String emit, int running) {
        EMIT.atDebug().addKeyValue("emit", emit).addKeyValue("running", running).log("emit started");
    }

    @Override
    public void emitEnded(String emit, long epochs) {
        EMIT.atDebug().addKeyValue("emit", emit).addKeyValue("epoch", epochs).log("emit ended");
    }

    @Override
    public void iterationStarted(String emit, long epoch, long lagNanos) {
        if (EMIT.isTraceEnabled()) {
            EMIT.atTrace().addKeyValue("emit", emit).addKeyValue("epoch", epoch)
                    .addKeyValue("lag", human(lagNanos)).log("iteration started");
        }
    }

    @Override
    public void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {
        if (EMIT.isTraceEnabled()) {
            EMIT.atTrace().addKeyValue("emit", emit).addKeyValue("epoch", epoch)
                    .addKeyValue("duration", human(durationNanos))
                    .addKeyValue("outcome", failure == null ? "success" : failure.toString()).log("iteration ended");
        }
    }

    @Override
    public void iterationOverran(String emit, long lagNanos) {
        String lag = human(lagNanos);
        EMIT.atWarn().addKeyValue("emit", emit).addKeyValue("lag", lag).log("emit '{}' overran its interval by {}", emit, lag);
    }

    @Override
    public void iterationSkipped(String emit, long lateNanos) {
        String late = human(lateNanos);
        EMIT.atWarn().addKeyValue("emit", emit).addKeyValue("late", late)
                .log("emit '{}' skipped an iteration due {} ago; it waits for the next scheduled time", emit, late);
    }

    @Override
    public void emitFailed(String emit, Throwable failure, Decision decision, @Nullable Duration restartWait) {
        switch (decision) {
            case STOP_BOT -> BOT.atError().addKeyValue("emit", emit).setCause(failure)
                    .log("emit '{}' failed; stopping the bot", emit);
            case CONTINUE -> EMIT.atError().addKeyValue("emit", emit).setCause(failure)
                    .log("emit '{}' failed; going on with the next iteration", emit);
            case RESTART -> EMIT.atWarn().addKeyValue("emit", emit).addKeyValue("wait", human(restartWait)).setCause(failure)
                    .log("emit '{}' failed; restarting in {}", emit, human(restartWait));
        }
    }

    @Override
    public void failedAfterCancel(String emit, Throwable failure) {
        EMIT.atError().addKeyValue("emit", emit).setCause(failure)
                .log("emit '{}' failed after it was cancelled", emit);
    }

    @Override
    public void unjoinedFailure(String emit, String execute, Throwable failure) {
        FORKED.atError().addKeyValue("emit", emit).addKeyValue("execute", execute).setCause(failure)
                .log("forked execute '{}' of emit '{}' failed and nobody joined it", execute, emit);
    }

    @Override
    public boolean observesAttempts() {
        return EXECUTE.isDebugEnabled();
    }

    @Override
    public void attemptStarted(String execute, int attempt, List<? extends ConcurrentGroup> groups) {
        EXECUTE.atDebug().addKeyValue("execute", execute).addKeyValue("attempt", attempt)
                .addKeyValue("inFlight", inFlight(groups)).log("execute started");
    }

    @Override
    public void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {
        EXECUTE.atDebug().addKeyValue("execute", execute).addKeyValue("attempt", attempt)
                .addKeyValue("inFlight", inFlight(groups)).addKeyValue("duration", human(durationNanos))
                .addKeyValue("outcome", failure == null ? "success" : failure.toString()).log("execute ended");
    }

    @Override
    public void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {
        // An expected failure being retried: its message, not a stack trace per retry.
        EXECUTE.atWarn().addKeyValue("execute", execute).addKeyValue("retry", retry).addKeyValue("wait", human(wait))
                .log("execute '{}' failed ({}); retry {} in {}", execute, cause.toString(), retry, human(wait));
    }

    @Override
    public void attemptOverran(String execute, int attempt, Duration timeout, long overranNanos) {
        Duration overran = Duration.ofNanos(overranNanos);
        EXECUTE.atWarn().addKeyValue("execute", execute).addKeyValue("attempt", attempt)
                .addKeyValue("timeout", timeout).addKeyValue("overran", overran)
                .log("attempt {} of execute '{}' timed out after {} but its handler ignored the interrupt"
                        + " and held its slots {} longer", attempt, execute, timeout, overran);
    }

    private static Map<String, Integer> inFlight(List<? extends ConcurrentGroup> groups) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ConcurrentGroup group : groups) {
            counts.put(group.name(), group.inFlight());
        }
        return counts;
    }

    /**
     * A duration as users type it ({@code 130ms}, {@code 1.5s}, {@link Intervals#format}), rounded
     * for reading: to the millisecond from one millisecond up, to the microsecond below.
     */
    static String human(@Nullable Duration duration) {
        return duration == null ? "none" : human(duration.toNanos());
    }

    static String human(long nanos) {
        if (nanos < 0) {
            return "-" + human(nanos == Long.MIN_VALUE ? Long.MAX_VALUE : -nanos);
        }
        long unit = nanos >= 1_000_000 ? 1_000_000 : 1_000;
        long rounded = nanos > Long.MAX_VALUE - unit / 2 ? nanos / unit * unit : (nanos + unit / 2) / unit * unit;
        return Intervals.format(Duration.ofNanos(rounded));
    }
}
