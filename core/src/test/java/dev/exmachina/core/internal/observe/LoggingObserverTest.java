package dev.exmachina.core.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Logs print durations as users type them, rounded for reading, never {@code PT0.129870309S}. */
class LoggingObserverTest {

    @Test
    void testsThatDurationsInLogsReadAsIntervalStrings() {
        assertEquals("130ms", LoggingObserver.human(129_870_309));
        assertEquals("1.535s", LoggingObserver.human(1_534_700_000));
        assertEquals("2m30s", LoggingObserver.human(Duration.ofSeconds(150)));
        assertEquals("1h", LoggingObserver.human(Duration.ofHours(1)));
        assertEquals("0.0003s", LoggingObserver.human(300_000));
        assertEquals("0s", LoggingObserver.human(0));
        assertEquals("none", LoggingObserver.human(null));
        assertEquals("-5ms", LoggingObserver.human(-5_000_000));
    }
}
