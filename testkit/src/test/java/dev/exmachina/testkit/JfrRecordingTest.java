package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bot recorded by JDK Flight Recorder on the virtual clock: its JFR events carry the bot's names,
 * outcomes and exact bot-clock durations, read back from the recording file.
 */
@ExtendWith(VirtualClockExtension.class)
class JfrRecordingTest {

    private static final List<String> EVENTS = List.of("dev.exmachina.Attempt", "dev.exmachina.GroupWait",
            "dev.exmachina.Retry", "dev.exmachina.EmitIteration", "dev.exmachina.EmitFailure");

    @Test
    void recordsAttemptsAndRetriesInBotClockTime(VirtualClock clock) throws Exception {
        var bot = Machina.builder().name("jfr-recorded-trader").clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1));
        AtomicInteger calls = new AtomicInteger();
        Execute<String, String> price = bot.execute("price",
                ExecuteOptions.groups("api").retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofSeconds(1)).retries(2))),
                symbol -> {
                    clock.sleep(Duration.ofMillis(300));
                    if (calls.incrementAndGet() == 1) {
                        throw new IOException("503");
                    }
                    return symbol;
                });
        // Two calls at once through a group of one: the first fails at 300 ms and retries at 1300 ms;
        // the second waits for the slot from 0 to 300 ms and succeeds at 600 ms.
        bot.emit("poll", EmitOptions.defaults().count(1), event -> {
            var btc = event.execute(price, "BTC");
            var eth = event.execute(price, "ETH");
            btc.join();
            eth.join();
        });

        Path file = Path.of("target", "jfr", "bot-on-virtual-clock.jfr");
        Files.createDirectories(file.getParent());
        try (Recording recording = new Recording()) {
            EVENTS.forEach(recording::enable);
            recording.start();
            bot.run();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.exmachina."))
                .filter(e -> "jfr-recorded-trader".equals(e.getString("bot"))) // JFR records every bot of the JVM
                .toList();

        List<RecordedEvent> attempts = named(events, "dev.exmachina.Attempt");
        assertEquals(3, attempts.size(), events.toString());
        for (RecordedEvent attempt : attempts) {
            assertEquals("jfr-recorded-trader", attempt.getString("bot"));
            assertEquals("price", attempt.getString("execute"));
            assertEquals(Duration.ofMillis(300), attempt.getDuration("botClockDuration"), "exact, in virtual time");
        }
        // A recording file groups events by thread buffer, not by time: compare as sorted lists.
        assertEquals(List.of("FAILURE 1 " + IOException.class.getName(), "SUCCESS 1 null", "SUCCESS 2 null"),
                attempts.stream().map(a -> a.getString("outcome") + " " + a.getInt("attempt") + " " + a.getString("failure"))
                        .sorted().toList());

        List<RecordedEvent> retries = named(events, "dev.exmachina.Retry");
        assertEquals(1, retries.size(), events.toString());
        assertEquals("price", retries.getFirst().getString("execute"));
        assertEquals(1, retries.getFirst().getInt("retry"));
        assertEquals(Duration.ofSeconds(1), retries.getFirst().getDuration("botClockWait"));
        assertEquals(IOException.class.getName(), retries.getFirst().getString("cause"));

        assertEquals(1, named(events, "dev.exmachina.GroupWait").size(), events.toString());
        assertEquals(1, named(events, "dev.exmachina.EmitIteration").size(), events.toString());
        for (RecordedEvent wait : named(events, "dev.exmachina.GroupWait")) {
            assertEquals("api", wait.getString("group"));
            assertEquals("SLOT", wait.getString("waitedFor"));
            assertEquals(Duration.ofMillis(300), wait.getDuration("botClockDuration"));
        }
        for (RecordedEvent iteration : named(events, "dev.exmachina.EmitIteration")) {
            assertEquals("poll", iteration.getString("emit"));
            assertEquals("SUCCESS", iteration.getString("outcome"));
            assertEquals(Duration.ofMillis(1600), iteration.getDuration("botClockDuration"));
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
