package dev.exmachina.core.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.BotEvent.Decision;
import dev.exmachina.core.BotEvent.Outcome;
import dev.exmachina.core.BotEvent.WaitedFor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The JFR sink, driven directly with the bot's event records: every event it records, read back from a recording file, with
 * its names, outcome and exact bot-clock durations; and its metadata (category, no stack trace).
 */
class JfrSinkTest {

    /**
     * The bot these tests report for: JFR records every bot of the JVM, so the events read back are
     * this bot's only, and another test's bot (a breaker's timer, say) cannot add to them.
     */
    private static final String BOT = "jfr-sink-trader";

    static final List<String> EVENTS = List.of("dev.exmachina.Attempt", "dev.exmachina.GroupWait",
            "dev.exmachina.Retry", "dev.exmachina.EmitIteration", "dev.exmachina.EmitFailure", "dev.exmachina.CircuitState");

    /** Records what {@code body} makes the sink commit for {@link #BOT}, with every Ex-Machina event enabled. */
    static List<RecordedEvent> record(String file, Runnable body) throws IOException {
        Path path = Path.of("target", "jfr", file);
        Files.createDirectories(path.getParent());
        try (Recording recording = new Recording()) {
            EVENTS.forEach(name -> recording.enable(name).withoutStackTrace());
            recording.start();
            body.run();
            recording.stop();
            recording.dump(path);
        }
        return RecordingFile.readAllEvents(path).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.exmachina."))
                .filter(e -> BOT.equals(e.getString("bot")))
                .toList();
    }

    @Test
    void recordsEveryEventWithItsNamesOutcomeAndExactBotClockDurations() throws IOException {
        var sink = JfrSink.INSTANCE;
        List<RecordedEvent> events = record("observer.jfr", () -> {
            assertTrue(sink.observesAttempts(), "a recording with the attempt event enabled is running");
            sink.on(new BotEvent.AttemptEnded(BOT, "price", 1, List.of(), Outcome.FAILURE, Duration.ofNanos(1_500_000),
                    new IOException("503")));
            sink.on(new BotEvent.RetryScheduled(BOT, "price", 1, Duration.ofMillis(250), new IOException("503")));
            sink.on(new BotEvent.GroupWaited(BOT, "price", "api", WaitedFor.WINDOW_START, Duration.ofMillis(750)));
            sink.on(new BotEvent.AttemptEnded(BOT, "price", 2, List.of(), Outcome.SUCCESS, Duration.ofMillis(2), null));
            sink.on(new BotEvent.AttemptEnded(BOT, "quote", 1, List.of(), Outcome.CANCELLED, Duration.ofNanos(42),
                    new CancellationException()));
            sink.on(new BotEvent.IterationEnded(BOT, "poll", 3, Duration.ofSeconds(5), null));
            sink.on(new BotEvent.IterationEnded(BOT, "poll", 4, Duration.ofNanos(7), new IllegalStateException()));
            sink.on(new BotEvent.EmitFailed(BOT, "poll", new IllegalStateException(), Decision.RESTART, Duration.ofSeconds(2)));
            sink.on(new BotEvent.EmitFailed(BOT, "dca", new IllegalStateException(), Decision.STOP_BOT, null));
            sink.on(new BotEvent.GraceExpired(BOT, Duration.ofSeconds(10))); // no JFR event of its own
        });

        assertEquals(9, events.size(), events.toString());
        RecordedEvent failed = events.get(0);
        assertEquals("dev.exmachina.Attempt", failed.getEventType().getName());
        assertEquals(BOT, failed.getString("bot"));
        assertEquals("price", failed.getString("execute"));
        assertEquals(1, failed.getInt("attempt"));
        assertEquals("FAILURE", failed.getString("outcome"));
        assertEquals(Duration.ofNanos(1_500_000), failed.getDuration("botClockDuration"));
        assertEquals(IOException.class.getName(), failed.getString("failure"));

        RecordedEvent retry = events.get(1);
        assertEquals("dev.exmachina.Retry", retry.getEventType().getName());
        assertEquals("price", retry.getString("execute"));
        assertEquals(1, retry.getInt("retry"));
        assertEquals(Duration.ofMillis(250), retry.getDuration("botClockWait"));
        assertEquals(IOException.class.getName(), retry.getString("cause"));

        RecordedEvent wait = events.get(2);
        assertEquals("dev.exmachina.GroupWait", wait.getEventType().getName());
        assertEquals(BOT, wait.getString("bot"));
        assertEquals("api", wait.getString("group"));
        assertEquals("WINDOW_START", wait.getString("waitedFor"));
        assertEquals(Duration.ofMillis(750), wait.getDuration("botClockDuration"));

        RecordedEvent succeeded = events.get(3);
        assertEquals("SUCCESS", succeeded.getString("outcome"));
        assertEquals(2, succeeded.getInt("attempt"));
        assertEquals(Duration.ofMillis(2), succeeded.getDuration("botClockDuration"));
        assertNull(succeeded.getString("failure"));
        assertEquals("CANCELLED", events.get(4).getString("outcome"));

        RecordedEvent iteration = events.get(5);
        assertEquals("dev.exmachina.EmitIteration", iteration.getEventType().getName());
        assertEquals("poll", iteration.getString("emit"));
        assertEquals(3, iteration.getLong("epoch"));
        assertEquals("SUCCESS", iteration.getString("outcome"));
        assertEquals(Duration.ofSeconds(5), iteration.getDuration("botClockDuration"));
        assertEquals("FAILURE", events.get(6).getString("outcome"));
        assertEquals(IllegalStateException.class.getName(), events.get(6).getString("failure"));

        RecordedEvent restart = events.get(7);
        assertEquals("dev.exmachina.EmitFailure", restart.getEventType().getName());
        assertEquals("RESTART", restart.getString("decision"));
        assertEquals(Duration.ofSeconds(2), restart.getDuration("botClockRestartWait"));
        assertEquals("STOP_BOT", events.get(8).getString("decision"));
        assertEquals(Duration.ZERO, events.get(8).getDuration("botClockRestartWait"));

        for (RecordedEvent event : events) {
            assertEquals(List.of("Ex-Machina"), event.getEventType().getCategoryNames());
            assertNull(event.getStackTrace(), "no stack trace");
            assertEquals(Thread.currentThread().getName(), event.getThread().getJavaName());
        }
    }

    @Test
    void aRecordingThatDoesNotMentionTheEventsRecordsThem() {
        // As -XX:StartFlightRecording with the JDK's default settings: the events are enabled by default.
        try (Recording recording = new Recording()) {
            recording.start();
            assertTrue(JfrSink.INSTANCE.observesAttempts());
        }
    }

    @Test
    void observesAttemptsOnlyWhileTheAttemptEventIsEnabledInARecording() {
        var observer = JfrSink.INSTANCE;
        if (!FlightRecorder.isInitialized()) {
            assertFalse(observer.observesAttempts());
        }
        try (Recording recording = new Recording()) {
            recording.enable("dev.exmachina.Retry");
            recording.disable("dev.exmachina.Attempt");
            recording.start();
            assertFalse(observer.observesAttempts(), "attempts disabled in the only recording");
            try (Recording attempts = new Recording()) {
                attempts.enable("dev.exmachina.Attempt");
                attempts.start();
                assertTrue(observer.observesAttempts());
            }
            assertFalse(observer.observesAttempts(), "the recording that wanted attempts is closed");
        }
    }

    @Test
    void everyEventIsInTheLibrarysCategoryWithoutStackTraces() {
        JfrSink.INSTANCE.observesAttempts(); // loads nothing unless JFR is up; the types below load the events
        for (Class<? extends jdk.jfr.Event> type : List.of(JfrEvents.Attempt.class, JfrEvents.GroupWait.class,
                JfrEvents.Retry.class, JfrEvents.EmitIteration.class, JfrEvents.EmitFailure.class)) {
            EventType eventType = EventType.getEventType(type);
            assertTrue(EVENTS.contains(eventType.getName()), eventType.getName());
            assertEquals(List.of("Ex-Machina"), eventType.getCategoryNames());
            assertEquals("false", eventType.getSettingDescriptors().stream()
                    .filter(setting -> setting.getName().equals("stackTrace")).findFirst().orElseThrow()
                    .getDefaultValue(), eventType.getName());
        }
    }

    @Test
    void recordsACircuitBreakersChangeOfState() throws IOException {
        var breaker = CircuitBreaker.builder("exchange").build();
        List<RecordedEvent> events = record("circuit.jfr", () -> {
            JfrSink.INSTANCE.on(new BotEvent.CircuitStateChanged(BOT, breaker, CircuitBreaker.State.CLOSED,
                    CircuitBreaker.State.OPEN, Duration.ofSeconds(30)));
            JfrSink.INSTANCE.on(new BotEvent.CircuitStateChanged(BOT, breaker, CircuitBreaker.State.OPEN,
                    CircuitBreaker.State.HALF_OPEN, null));
        });

        assertEquals(2, events.size(), events.toString());
        RecordedEvent opened = events.get(0);
        assertEquals("dev.exmachina.CircuitState", opened.getEventType().getName());
        assertEquals(BOT, opened.getString("bot"));
        assertEquals("exchange", opened.getString("breaker"));
        assertEquals("CLOSED", opened.getString("from"));
        assertEquals("OPEN", opened.getString("to"));
        assertEquals(Duration.ofSeconds(30), opened.getDuration("botClockOpenWait"));
        assertEquals("HALF_OPEN", events.get(1).getString("to"));
        assertEquals(Duration.ZERO, events.get(1).getDuration("botClockOpenWait"));
        assertEquals(List.of("Ex-Machina"), opened.getEventType().getCategoryNames());
    }
}
