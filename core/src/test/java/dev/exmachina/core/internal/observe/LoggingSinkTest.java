package dev.exmachina.core.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Logs print durations as users type them, rounded for reading, never {@code PT0.129870309S}. */
class LoggingSinkTest {

    @Test
    void testsThatDurationsInLogsReadAsIntervalStrings() {
        assertEquals("130ms", LoggingSink.human(129_870_309));
        assertEquals("1.535s", LoggingSink.human(1_534_700_000));
        assertEquals("2m30s", LoggingSink.human(Duration.ofSeconds(150)));
        assertEquals("1h", LoggingSink.human(Duration.ofHours(1)));
        assertEquals("0.0003s", LoggingSink.human(300_000));
        assertEquals("0s", LoggingSink.human(0));
        assertEquals("none", LoggingSink.human(null));
        assertEquals("-5ms", LoggingSink.human(-5_000_000));
    }
}
