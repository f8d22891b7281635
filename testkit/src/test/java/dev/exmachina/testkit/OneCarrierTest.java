package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The testkit asks for one carrier thread as {@link VirtualClock} loads, so that a user need not
 * pass {@code -Djdk.virtualThreadScheduler.parallelism=1} (this module's tests do not).
 */
class OneCarrierTest {

    @Test
    void loadingTheVirtualClockAsksForOneCarrierThread() {
        VirtualClock.create();
        assertEquals("1", System.getProperty("jdk.virtualThreadScheduler.parallelism"));
    }
}
