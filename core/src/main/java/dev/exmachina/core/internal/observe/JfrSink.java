package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * A bot's events as JDK Flight Recorder events ({@code dev.exmachina.Attempt}, {@code GroupWait},
 * {@code Retry}, {@code EmitIteration}, {@code EmitFailure}, {@code CircuitState}; see {@link JfrEvents}), so that
 * {@code -XX:StartFlightRecording} or {@code jcmd <pid> JFR.start} shows what a bot did next to the
 * JVM's own events. Other events have no JFR event: they are rare and reach the log and listeners.
 *
 * <p><b>Cost.</b> Until Flight Recorder is initialized (a first recording, from the command line, jcmd
 * or the {@code jdk.jfr} API) this sink reads one volatile flag per event and loads no event class;
 * an attempt then reads no clock and allocates nothing for it. Once JFR is initialized,
 * {@link #observesAttempts()} is whether the attempt event is enabled in some recording now (a plain
 * field read of JFR's), and each event costs what a JFR commit costs.
 *
 * <p><b>Concurrency.</b> Stateless; called by any bot thread.
 */
public final class JfrSink implements Sink {

    public static final JfrSink INSTANCE = new JfrSink();

    /** Set once, by JFR, when Flight Recorder is initialized; never unset (JFR is not torn down). */
    private static volatile boolean recorderInitialized;

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    JfrSink.recorderInitialized = true;
                }
            });
        } catch (Throwable jfrUnavailable) {
            // A JVM without Flight Recorder: this sink stays silent.
        }
    }

    private JfrSink() {}

    @Override
    public boolean observesAttempts() {
        return recorderInitialized && JfrEvents.ATTEMPT.isEnabled();
    }

    @Override
    public void on(BotEvent event) {
        if (!recorderInitialized) {
            return; // keeps JfrEvents unloaded
        }
        switch (event) {
            case BotEvent.AttemptEnded e -> JfrEvents.attempt(e); // only while observesAttempts() held
            case BotEvent.GroupWaited e -> JfrEvents.groupWait(e);
            case BotEvent.RetryScheduled e -> JfrEvents.retry(e);
            case BotEvent.IterationEnded e -> JfrEvents.iteration(e);
            case BotEvent.EmitFailed e -> JfrEvents.emitFailure(e);
            case BotEvent.CircuitStateChanged e -> JfrEvents.circuitState(e);
            default -> {
                // no JFR event of its own
            }
        }
    }

    @Override
    public String toString() {
        return "JfrSink";
    }
}
