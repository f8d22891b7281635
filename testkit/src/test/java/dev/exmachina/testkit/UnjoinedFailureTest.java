package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A forked execute's failure is never silently lost: joined, it is thrown; not joined, logged once. */
@ExtendWith(VirtualClockExtension.class)
class UnjoinedFailureTest {

    private static long loggedLines(String execute) throws IOException {
        Path log = Path.of("target/test-errors.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("forked execute '" + execute + "'") && l.contains("nobody joined")).count();
        }
    }

    @Test
    void testsThatAFailureNobodyJoinsIsLoggedAtErrorExactlyOnce(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
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

        assertEquals(1, loggedLines("lost-1"));
    }

    @Test
    void testsThatAJoinedFailureIsNotLoggedAsUnjoined(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
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

        assertEquals(0, loggedLines("heard-1"));
    }
}
