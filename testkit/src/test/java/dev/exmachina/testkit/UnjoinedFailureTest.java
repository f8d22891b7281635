package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A forked execute's failure is never silently lost: joined, it is thrown; not joined, reported once
 * ({@link BotEvent.UnjoinedFailure}, logged at ERROR).
 */
@ExtendWith(VirtualClockExtension.class)
class UnjoinedFailureTest {

    @Test
    void aFailureNobodyJoinsIsReportedExactlyOnceWhenItHappens(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        bot.execute("lost-1", ExecuteOptions.defaults(), (Integer i) -> {
            clock.sleep(Duration.ofSeconds(i));
            throw new IOException("nobody hears this");
        });
        bot.emit("forker", EmitOptions.every("1s").count(2), event -> {
            if (event.epoch() == 1) {
                event.execute("lost-1", 5); // fails after its iteration ended
            }
        });

        bot.run();

        List<BotEvent.UnjoinedFailure> unjoined = events.of(BotEvent.UnjoinedFailure.class);
        assertEquals(1, unjoined.size(), unjoined::toString);
        assertEquals(new BotEvent.UnjoinedFailure(bot.name(), "forker", "lost-1", unjoined.getFirst().failure()),
                unjoined.getFirst());
        assertEquals("nobody hears this", unjoined.getFirst().failure().getMessage());
    }

    @Test
    void aJoinedFailureIsNotReportedAsUnjoined(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        bot.execute("heard-1", ExecuteOptions.defaults(), (Integer i) -> {
            throw new IOException("the joiner hears this");
        });
        bot.emit("joiner", EmitOptions.defaults().count(1), event -> {
            try {
                event.execute("heard-1", 1).join();
            } catch (IOException expected) {
                // handled by the handler
            }
        });

        bot.run();

        assertEquals(List.of(), events.of(BotEvent.UnjoinedFailure.class));
        assertEquals(1, events.of(BotEvent.AttemptEnded.class).stream()
                .filter(e -> e.execute().equals("heard-1") && e.outcome() == BotEvent.Outcome.FAILURE).count(),
                "the fork failed, and the joiner heard it");
    }
}
