package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CircuitBreaker;
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
 * A bot's events as slf4j log lines: TRACE for iterations, DEBUG for runs and attempts, INFO for a
 * circuit breaker that half-opens or closes, WARN for retries, lag, overruns, lease trouble, refused
 * starts and a breaker that opens, ERROR for failures. Key-value pairs name
 * the emit, execute or bot. Stateless and thread-safe.
 */
public final class LoggingSink implements Sink {

    public static final LoggingSink INSTANCE = new LoggingSink();

    private static final Logger BOT = LoggerFactory.getLogger("dev.exmachina.core.Machina");
    private static final Logger EMIT = LoggerFactory.getLogger(Emit.class);
    private static final Logger EXECUTE = LoggerFactory.getLogger(Execute.class);
    private static final Logger FORKED = LoggerFactory.getLogger(Forked.class);
    private static final Logger BREAKER = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final Logger GROUP = LoggerFactory.getLogger(ConcurrentGroup.class);

    private LoggingSink() {}

    @Override
    public boolean observesAttempts() {
        return EXECUTE.isDebugEnabled();
    }

    @Override
    public void on(BotEvent event) {
        switch (event) {
            case BotEvent.BotStarted e -> BOT.atDebug().addKeyValue("bot", e.bot()).log("bot '{}' starting", e.bot());
            case BotEvent.BotStopped e -> BOT.atDebug().addKeyValue("bot", e.bot()).log("bot '{}' stopped", e.bot());
            case BotEvent.HookFailed e -> BOT.atError().addKeyValue("bot", e.bot()).setCause(e.failure())
                    .log("{} hook of bot '{}' failed", e.hook() == BotEvent.HookKind.STARTUP ? "startup" : "shutdown", e.bot());
            case BotEvent.ClosedFromInside e -> BOT.atDebug().addKeyValue("bot", e.bot())
                    .log("bot '{}' closed from its own thread; not waiting for it", e.bot());
            case BotEvent.GraceExpired e -> BOT.atWarn().addKeyValue("bot", e.bot())
                    .log("bot '{}' did not stop within {}; cancelling", e.bot(), human(e.gracePeriod()));
            case BotEvent.EmitStarted e -> EMIT.atDebug().addKeyValue("emit", e.emit()).addKeyValue("running", e.running())
                    .log("emit started");
            case BotEvent.EmitEnded e -> EMIT.atDebug().addKeyValue("emit", e.emit()).addKeyValue("epoch", e.iterations())
                    .log("emit ended");
            case BotEvent.StartRefused e -> startRefused(e);
            case BotEvent.IterationStarted e -> iterationStarted(e);
            case BotEvent.IterationEnded e -> iterationEnded(e);
            case BotEvent.IterationOverran e -> EMIT.atWarn().addKeyValue("emit", e.emit()).addKeyValue("lag", human(e.lag()))
                    .log("emit '{}' overran its interval by {}", e.emit(), human(e.lag()));
            case BotEvent.IterationSkipped e -> EMIT.atWarn().addKeyValue("emit", e.emit()).addKeyValue("late", human(e.late()))
                    .log("emit '{}' skipped an iteration due {} ago; it waits for the next scheduled time", e.emit(),
                            human(e.late()));
            case BotEvent.EmitFailed e -> emitFailed(e);
            case BotEvent.FailedAfterCancel e -> EMIT.atError().addKeyValue("emit", e.emit()).setCause(e.failure())
                    .log("emit '{}' failed after it was cancelled", e.emit());
            case BotEvent.LeaseFailed e -> leaseFailed(e);
            case BotEvent.AttemptStarted e -> EXECUTE.atDebug().addKeyValue("execute", e.execute())
                    .addKeyValue("attempt", e.attempt()).addKeyValue("inFlight", inFlight(e.groups())).log("execute started");
            case BotEvent.AttemptEnded e -> attemptEnded(e);
            case BotEvent.AttemptOverran e -> attemptOverran(e);
            // An expected failure being retried: its message, not a stack trace per retry.
            case BotEvent.RetryScheduled e -> EXECUTE.atWarn().addKeyValue("execute", e.execute())
                    .addKeyValue("retry", e.retry()).addKeyValue("wait", human(e.waitTime()))
                    .log("execute '{}' failed ({}); retry {} in {}", e.execute(), e.cause().toString(), e.retry(),
                            human(e.waitTime()));
            case BotEvent.GroupWaited e -> groupWaited(e);
            case BotEvent.UnjoinedFailure e -> FORKED.atError().addKeyValue("emit", e.emit()).addKeyValue("execute", e.execute())
                    .setCause(e.failure())
                    .log("forked execute '{}' of emit '{}' failed and nobody joined it", e.execute(), e.emit());
            case BotEvent.CircuitStateChanged e -> circuitStateChanged(e);
            case BotEvent.GroupPaused e -> GROUP.atWarn().addKeyValue("group", e.group()).addKeyValue("pause", human(e.pause()))
                    .log("concurrent group '{}' paused for {}, until {}", e.group(), human(e.pause()), e.until());
            case BotEvent.GroupLimitsChanged e -> GROUP.atInfo().addKeyValue("group", e.group())
                    .log("concurrent group '{}' limits changed from {} to {}", e.group(), e.from(), e.to());
        }
    }

    /** An opening is a WARN (calls are refused from now on); half-open and closed are INFO. */
    private static void circuitStateChanged(BotEvent.CircuitStateChanged e) {
        String name = e.breaker().name();
        Duration openWait = e.openWait();
        if (openWait != null) {
            BREAKER.atWarn().addKeyValue("breaker", name).addKeyValue("from", e.from()).addKeyValue("wait", human(openWait))
                    .log("circuit breaker '{}' opened ({} before); calls are refused for {}", name,
                            e.from() == CircuitBreaker.State.CLOSED ? "closed" : "half-open", human(openWait));
        } else {
            BREAKER.atInfo().addKeyValue("breaker", name).addKeyValue("from", e.from()).addKeyValue("to", e.to())
                    .log("circuit breaker '{}' is {}", name, e.to() == CircuitBreaker.State.CLOSED
                            ? "closed: calls go through again" : "half-open: probing");
        }
    }

    private static void startRefused(BotEvent.StartRefused e) {
        switch (e.reason()) {
            case ALREADY_RUNNING -> BOT.atWarn().addKeyValue("emit", e.emit())
                    .log("emit '{}' is already running; not starting a second copy", e.emit());
            case BOT_STOPPING -> BOT.atDebug().addKeyValue("emit", e.emit())
                    .log("emit '{}' not started: the bot is stopping", e.emit());
        }
    }

    private static void iterationStarted(BotEvent.IterationStarted e) {
        if (EMIT.isTraceEnabled()) {
            EMIT.atTrace().addKeyValue("emit", e.emit()).addKeyValue("epoch", e.epoch())
                    .addKeyValue("lag", human(e.lag())).log("iteration started");
        }
    }

    private static void iterationEnded(BotEvent.IterationEnded e) {
        if (EMIT.isTraceEnabled()) {
            EMIT.atTrace().addKeyValue("emit", e.emit()).addKeyValue("epoch", e.epoch())
                    .addKeyValue("duration", human(e.duration()))
                    .addKeyValue("outcome", outcome(e.failure())).log("iteration ended");
        }
    }

    private static void emitFailed(BotEvent.EmitFailed e) {
        String emit = e.emit();
        switch (e.decision()) {
            case STOP_BOT -> BOT.atError().addKeyValue("emit", emit).setCause(e.failure())
                    .log("emit '{}' failed; stopping the bot", emit);
            case CONTINUE -> EMIT.atError().addKeyValue("emit", emit).setCause(e.failure())
                    .log("emit '{}' failed; going on with the next iteration", emit);
            case RESTART -> EMIT.atWarn().addKeyValue("emit", emit).addKeyValue("wait", human(e.restartWait()))
                    .setCause(e.failure()).log("emit '{}' failed; restarting in {}", emit, human(e.restartWait()));
        }
    }

    private static void leaseFailed(BotEvent.LeaseFailed e) {
        String why = e.failure() == null ? "the lease is held by another process or expired" : e.failure().toString();
        switch (e.step()) {
            case TAKE -> EMIT.atWarn().addKeyValue("emit", e.emit())
                    .log("singleton emit '{}' could not take its lease, skipping the iteration: {}", e.emit(), why);
            case RENEW -> EMIT.atWarn().addKeyValue("emit", e.emit())
                    .log("singleton emit '{}' lost its lease ({}): the iteration under way finishes, the next one runs "
                            + "only if the lease is taken again", e.emit(), why);
            case RELEASE -> EMIT.atWarn().addKeyValue("emit", e.emit())
                    .log("singleton emit '{}' could not give up its lease (it expires by itself): {}", e.emit(), why);
        }
    }

    private static void groupWaited(BotEvent.GroupWaited e) {
        if (EXECUTE.isDebugEnabled()) {
            EXECUTE.atDebug().addKeyValue("execute", e.execute()).addKeyValue("group", e.group())
                    .addKeyValue("waitedFor", e.waitedFor()).addKeyValue("waited", human(e.waited()))
                    .log("execute waited");
        }
    }

    private static void attemptEnded(BotEvent.AttemptEnded e) {
        EXECUTE.atDebug().addKeyValue("execute", e.execute()).addKeyValue("attempt", e.attempt())
                .addKeyValue("inFlight", inFlight(e.groups())).addKeyValue("duration", human(e.duration()))
                .addKeyValue("outcome", outcome(e.failure())).log("execute ended");
    }

    private static void attemptOverran(BotEvent.AttemptOverran e) {
        EXECUTE.atWarn().addKeyValue("execute", e.execute()).addKeyValue("attempt", e.attempt())
                .addKeyValue("timeout", e.timeout()).addKeyValue("overran", e.overran())
                .log("attempt {} of execute '{}' timed out after {} but its handler ignored the interrupt"
                        + " and held its slots {} longer", e.attempt(), e.execute(), e.timeout(), e.overran());
    }

    private static String outcome(@Nullable Throwable failure) {
        return failure == null ? "success" : failure.toString();
    }

    private static Map<String, Integer> inFlight(List<ConcurrentGroup> groups) {
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
        if (duration == null) {
            return "none";
        }
        try {
            return human(duration.toNanos());
        } catch (ArithmeticException tooLong) { // a wait may be as long as a user likes
            return Intervals.format(duration.withNanos(0));
        }
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
