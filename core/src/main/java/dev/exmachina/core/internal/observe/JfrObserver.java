package dev.exmachina.core.internal.observe;

import dev.exmachina.core.ConcurrentGroup;
import java.time.Duration;
import java.util.List;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import org.jspecify.annotations.Nullable;

/**
 * A bot's events as JDK Flight Recorder events ({@code dev.exmachina.Attempt}, {@code GroupWait},
 * {@code Retry}, {@code EmitIteration}, {@code EmitFailure}; see {@link JfrEvents}), so that
 * {@code -XX:StartFlightRecording} or {@code jcmd <pid> JFR.start} shows what a bot did next to the
 * JVM's own events.
 *
 * <p><b>Cost.</b> Until Flight Recorder is initialized (a first recording, from the command line, jcmd
 * or the {@code jdk.jfr} API) this observer reads one volatile flag per event and loads no event
 * class; an attempt then reads no clock and allocates nothing for it. Once JFR is initialized,
 * {@link #observesAttempts()} is whether the attempt event is enabled in some recording now (a plain
 * field read of JFR's), and each event costs what a JFR commit costs.
 *
 * <p><b>Concurrency.</b> Immutable; called by any bot thread.
 */
public final class JfrObserver implements Observer {

    /** Set once, by JFR, when Flight Recorder is initialized; never unset (JFR is not torn down). */
    private static volatile boolean recorderInitialized;

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    JfrObserver.recorderInitialized = true;
                }
            });
        } catch (Throwable jfrUnavailable) {
            // A JVM without Flight Recorder: this observer stays silent.
        }
    }

    private final String bot;

    /** @param bot the bot's name, recorded in every event */
    public JfrObserver(String bot) {
        this.bot = bot;
    }

    @Override
    public boolean observesAttempts() {
        return recorderInitialized && JfrEvents.ATTEMPT.isEnabled();
    }

    @Override
    public void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {
        // Called only while observesAttempts() held; the check keeps JfrEvents unloaded otherwise.
        if (recorderInitialized) {
            JfrEvents.attempt(bot, execute, attempt, durationNanos, failure);
        }
    }

    @Override
    public void groupWaited(String execute, String group, Wait what, long waitedNanos) {
        if (recorderInitialized) {
            JfrEvents.groupWait(bot, execute, group, what, waitedNanos);
        }
    }

    @Override
    public void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {
        if (recorderInitialized) {
            JfrEvents.retry(bot, execute, retry, nanos(wait), cause);
        }
    }

    @Override
    public void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {
        if (recorderInitialized) {
            JfrEvents.iteration(bot, emit, epoch, durationNanos, failure);
        }
    }

    @Override
    public void emitFailed(String emit, Throwable failure, Decision decision, @Nullable Duration restartWait) {
        if (recorderInitialized) {
            JfrEvents.emitFailure(bot, emit, failure, decision, restartWait == null ? 0 : nanos(restartWait));
        }
    }

    /** A duration in nanoseconds, saturated: a retry wait may be as long as a user likes. */
    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "JfrObserver[" + bot + "]";
    }
}
