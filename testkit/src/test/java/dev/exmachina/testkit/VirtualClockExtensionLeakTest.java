package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension fails a test that leaves a bot thread of its clock alive. The cases below are run
 * through JUnit's own engine (EngineTestKit), as JUnit extensions are tested; they are nested, so
 * the build does not run them on their own.
 */
class VirtualClockExtensionLeakTest {

    @ExtendWith(VirtualClockExtension.class)
    static class Leaky {
        @Test
        void parksForever(VirtualClock clock) {
            clock.launch(() -> clock.park("a signal nobody sends", BotClock.NO_DEADLINE));
            clock.runCurrent();
        }

        @Test
        void forgetsToStopTheBot(VirtualClock clock) {
            var bot = Machina.builder().clock(clock).build();
            bot.emit("tick", EmitOptions.every("1s"), event -> {});
            clock.launch(bot::run);
            clock.advance(Duration.ofMillis(2_500));
        }
    }

    @ExtendWith(VirtualClockExtension.class)
    static class Tidy {
        @Test
        void stopsAndJoins(VirtualClock clock) throws Exception {
            var bot = Machina.builder().clock(clock).build();
            bot.emit("tick", EmitOptions.every("1s"), event -> {});
            Launched running = clock.launch(bot::run);
            clock.advance(Duration.ofMillis(2_500));
            bot.stop();
            running.join();
        }
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    private static String failure(Events events, String method) {
        Event failed = events.failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
                .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail"));
        Throwable thrown = failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertInstanceOf(AssertionError.class, thrown);
        return thrown.getMessage();
    }

    /** Tests that the extension fails a test that leaks a parked thread, naming it and what it waits for. */
    @Test
    void testsThatALeakedThreadFailsTheTestAndIsNamed() {
        Events events = run(Leaky.class);

        assertEquals(2, events.failed().count());
        String message = failure(events, "parksForever");
        assertTrue(message.contains("1 bot thread(s)"), message);
        assertTrue(message.contains("launched-1 PARKED on a signal nobody sends"), message);
        assertTrue(message.contains("Launched.join()"), message);
        assertTrue(message.contains("stop or close the bot"), message);
    }

    /** Tests that a bot left running fails the test, naming its run and its emit's thread. */
    @Test
    void testsThatABotLeftRunningFailsTheTest() {
        String message = failure(run(Leaky.class), "forgetsToStopTheBot");

        assertTrue(message.contains("launched-1 PARKED"), message);
        assertTrue(message.contains("tick"), message);
    }

    /** Tests that a test that stops its bot and joins what it launched passes. */
    @Test
    void testsThatATidyTestPasses() {
        Events events = run(Tidy.class);

        assertEquals(List.of(), events.failed().list());
        assertEquals(1, events.succeeded().count());
    }
}
