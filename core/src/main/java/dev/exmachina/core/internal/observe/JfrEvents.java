package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * The JDK Flight Recorder events of a bot, in the category "Ex-Machina", and the code that commits
 * them. Loaded only once Flight Recorder is initialized ({@link JfrSink}): loading an event class
 * starts JFR's instrumentation, which takes a noticeable fraction of a second and must not be paid by
 * a bot that is never recorded.
 *
 * <p>Durations named {@code botClock…} are bot-clock time: on a virtual clock they are exact virtual
 * durations, while the event's own start time is the real time of the commit. Every event is an
 * instant event committed when the thing it describes ended, on the thread where it happened, with no
 * stack trace. Failures are recorded by class name only: messages may hold what a recording must not.
 */
final class JfrEvents {

    private JfrEvents() {}

    static final String CATEGORY = "Ex-Machina";

    /** Read by {@link JfrSink#observesAttempts()} on every attempt: a plain field read. */
    static final EventType ATTEMPT = EventType.getEventType(Attempt.class);

    @Name("dev.exmachina.Attempt")
    @Label("Attempt")
    @Description("An attempt of an execute ended: its outcome and how long its handler ran on the bot's clock")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class Attempt extends Event {
        @Label("Bot") String bot;
        @Label("Execute") String execute;
        @Label("Attempt") @Description("1 for the first attempt of a call, 2 for its first retry, …") int attempt;
        @Label("Outcome") @Description("SUCCESS, FAILURE or CANCELLED") String outcome;
        @Label("Bot-Clock Duration") @Timespan(Timespan.NANOSECONDS) long botClockDuration;
        @Label("Failure") @Description("The class of what the handler threw, if it threw") @Nullable String failure;
    }

    @Name("dev.exmachina.GroupWait")
    @Label("Group Wait")
    @Description("An attempt waited in a concurrent group before it could start")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class GroupWait extends Event {
        @Label("Bot") String bot;
        @Label("Execute") String execute;
        @Label("Group") String group;
        @Label("Waited For") @Description("SLOT or WINDOW_START") String waitedFor;
        @Label("Bot-Clock Duration") @Timespan(Timespan.NANOSECONDS) long botClockDuration;
    }

    @Name("dev.exmachina.Retry")
    @Label("Retry")
    @Description("A failed attempt of an execute will be retried after a wait")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class Retry extends Event {
        @Label("Bot") String bot;
        @Label("Execute") String execute;
        @Label("Retry") @Description("1 for the first retry of the call, 2 for the second, …") int retry;
        @Label("Bot-Clock Wait") @Description("The wait before the next attempt, holding no slot")
        @Timespan(Timespan.NANOSECONDS) long botClockWait;
        @Label("Cause") @Description("The class of the failure being retried") String cause;
    }

    @Name("dev.exmachina.EmitIteration")
    @Label("Emit Iteration")
    @Description("An iteration of an emit ended: its outcome and how long its handler ran on the bot's clock")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class EmitIteration extends Event {
        @Label("Bot") String bot;
        @Label("Emit") String emit;
        @Label("Epoch") @Description("1, 2, … within this run of the emit") long epoch;
        @Label("Outcome") @Description("SUCCESS or FAILURE") String outcome;
        @Label("Bot-Clock Duration") @Timespan(Timespan.NANOSECONDS) long botClockDuration;
        @Label("Failure") @Description("The class of what the handler threw, if it threw") @Nullable String failure;
    }

    @Name("dev.exmachina.EmitFailure")
    @Label("Emit Failure")
    @Description("An emit's handler failed, and what its supervision decided")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class EmitFailure extends Event {
        @Label("Bot") String bot;
        @Label("Emit") String emit;
        @Label("Failure") @Description("The class of what the handler threw") String failure;
        @Label("Decision") @Description("STOP_BOT, CONTINUE or RESTART") String decision;
        @Label("Bot-Clock Restart Wait") @Description("The wait before the next iteration under RESTART, else 0")
        @Timespan(Timespan.NANOSECONDS) long botClockRestartWait;
    }

    @Name("dev.exmachina.CircuitState")
    @Label("Circuit State")
    @Description("A circuit breaker changed state: opened, half-opened or closed")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class CircuitState extends Event {
        @Label("Bot") String bot;
        @Label("Breaker") String breaker;
        @Label("From") @Description("CLOSED, OPEN or HALF_OPEN") String from;
        @Label("To") @Description("CLOSED, OPEN or HALF_OPEN") String to;
        @Label("Bot-Clock Open Wait") @Description("How long it stays open, when it opened; else 0")
        @Timespan(Timespan.NANOSECONDS) long botClockOpenWait;
    }

    static void attempt(BotEvent.AttemptEnded e) {
        Attempt event = new Attempt();
        event.bot = e.bot();
        event.execute = e.execute();
        event.attempt = e.attempt();
        event.outcome = e.outcome().name();
        event.botClockDuration = nanos(e.duration());
        event.failure = className(e.failure());
        event.commit();
    }

    static void groupWait(BotEvent.GroupWaited e) {
        GroupWait event = new GroupWait();
        if (event.isEnabled()) {
            event.bot = e.bot();
            event.execute = e.execute();
            event.group = e.group();
            event.waitedFor = e.waitedFor().name();
            event.botClockDuration = nanos(e.waited());
            event.commit();
        }
    }

    static void retry(BotEvent.RetryScheduled e) {
        Retry event = new Retry();
        if (event.isEnabled()) {
            event.bot = e.bot();
            event.execute = e.execute();
            event.retry = e.retry();
            event.botClockWait = nanos(e.waitTime());
            event.cause = e.cause().getClass().getName();
            event.commit();
        }
    }

    static void iteration(BotEvent.IterationEnded e) {
        EmitIteration event = new EmitIteration();
        if (event.isEnabled()) {
            event.bot = e.bot();
            event.emit = e.emit();
            event.epoch = e.epoch();
            event.outcome = e.failure() == null ? "SUCCESS" : "FAILURE";
            event.botClockDuration = nanos(e.duration());
            event.failure = className(e.failure());
            event.commit();
        }
    }

    static void emitFailure(BotEvent.EmitFailed e) {
        EmitFailure event = new EmitFailure();
        if (event.isEnabled()) {
            event.bot = e.bot();
            event.emit = e.emit();
            event.failure = e.failure().getClass().getName();
            event.decision = e.decision().name();
            Duration restartWait = e.restartWait();
            event.botClockRestartWait = restartWait == null ? 0 : nanos(restartWait);
            event.commit();
        }
    }

    static void circuitState(BotEvent.CircuitStateChanged e) {
        CircuitState event = new CircuitState();
        if (event.isEnabled()) {
            event.bot = e.bot();
            event.breaker = e.breaker().name();
            event.from = e.from().name();
            event.to = e.to().name();
            Duration openWait = e.openWait();
            event.botClockOpenWait = openWait == null ? 0 : nanos(openWait);
            event.commit();
        }
    }

    private static @Nullable String className(@Nullable Throwable failure) {
        return failure == null ? null : failure.getClass().getName();
    }

    /** A duration in nanoseconds, saturated: a retry wait may be as long as a user likes. */
    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
