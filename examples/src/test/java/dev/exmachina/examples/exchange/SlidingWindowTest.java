package dev.exmachina.examples.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    @Test
    void countsEventsInTheHalfOpenWindowEndingNow() {
        var window = new SlidingWindow(Duration.ofNanos(100));
        assertEquals(1, window.add(0));
        assertEquals(2, window.add(50));
        assertEquals(3, window.add(99));
        assertEquals(3, window.add(100));   // the event at 0 is exactly one window old: gone
        assertEquals(2, window.countAt(150));
        assertEquals(0, window.countAt(1_000));
    }
}
