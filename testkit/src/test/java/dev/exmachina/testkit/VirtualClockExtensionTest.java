package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

@ExtendWith(VirtualClockExtension.class)
@ClockSeed(7)
class VirtualClockExtensionTest {

    private VirtualClock fromBeforeEach;

    @BeforeEach
    void keep(VirtualClock clock) {
        fromBeforeEach = clock;
    }

    @Test
    void testsThatATestAndItsBeforeEachShareOneFreshClockSeededByTheClassAnnotation(VirtualClock clock) {
        assertSame(fromBeforeEach, clock);
        assertEquals(7, clock.seed());
        assertEquals(Duration.ZERO, clock.elapsed());
        clock.advance(Duration.ofHours(1)); // the next test gets its own clock at zero
    }

    @Test
    @ClockSeed(42)
    void testsThatAMethodAnnotationWinsOverTheClassOne(VirtualClock clock) {
        assertEquals(42, clock.seed());
        assertEquals(Duration.ZERO, clock.elapsed());
    }

    @Test
    void testsThatAFailedTestCarriesItsSeedForReplay() {
        var clock = VirtualClock.builder().seed(99).build();
        ExtensionContext context = mock(ExtensionContext.class);
        ExtensionContext.Store store = mock(ExtensionContext.Store.class);
        when(context.getStore(any())).thenReturn(store);
        when(store.get("clock", VirtualClock.class)).thenReturn(clock);
        var failure = new AssertionError("boom");

        var thrown = assertThrows(AssertionError.class,
                () -> new VirtualClockExtension().handleTestExecutionException(context, failure));

        assertSame(failure, thrown);
        assertEquals(1, thrown.getSuppressed().length);
        assertTrue(thrown.getSuppressed()[0].getMessage().contains("@ClockSeed(99L)"), thrown.getSuppressed()[0].getMessage());
        assertNotSame(failure, thrown.getSuppressed()[0]);
    }
}
