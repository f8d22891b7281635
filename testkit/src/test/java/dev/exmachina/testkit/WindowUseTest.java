package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.ConcurrentGroup.WindowUse;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.GroupLimits.Window;
import dev.exmachina.core.GroupLimits.WindowAnchor;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A group's window use, read on virtual time: what each window counts now, exactly. */
@ExtendWith(VirtualClockExtension.class)
class WindowUseTest {

    private static final Window FIVE_PER_SECOND = new Window(5, Duration.ofSeconds(1), WindowAnchor.START);

    /** Tests that three starts of five per second use 3 until a second after them, then nothing. */
    @Test
    void startsCountUntilAWindowAfterThem(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(2).perWindow(5, Duration.ofSeconds(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), n -> n);
        List<List<WindowUse>> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            seen.add(api.windowUse());
            for (int i = 0; i < 3; i++) {
                call.call(i);
            }
            seen.add(api.windowUse());
            event.sleep(Duration.ofMillis(999));
            seen.add(api.windowUse());
            event.sleep(Duration.ofMillis(1));
            seen.add(api.windowUse());
        });

        bot.run();

        assertEquals(List.of(List.of(new WindowUse(FIVE_PER_SECOND, 0)), List.of(new WindowUse(FIVE_PER_SECOND, 3)),
                List.of(new WindowUse(FIVE_PER_SECOND, 3)), List.of(new WindowUse(FIVE_PER_SECOND, 0))), seen);
    }

    /** Tests that weighted calls use their costs, summed: 4 and 2 of 10 use 6. */
    @Test
    void weightedCallsUseTheirCostsSummed(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api").cost(Integer.class, n -> n), n -> n);
        List<Long> used = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            call.call(4);
            event.sleep(Duration.ofMillis(500));
            call.call(2);
            used.add(api.windowUse().getFirst().used());
            event.sleep(Duration.ofMillis(500)); // the 4 leaves the window
            used.add(api.windowUse().getFirst().used());
        });

        bot.run();

        assertEquals(List.of(6L, 2L), used);
    }

    /**
     * Tests that a start reserved for later is not counted before it comes: the sixth call of five per
     * second waits for the next second, and the window ending now holds the five that began.
     */
    @Test
    void aStartReservedForLaterIsNotCountedBeforeItComes(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(5, Duration.ofSeconds(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), n -> n);
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 5; i++) {
                call.call(i);
            }
            Forked<Integer> sixth = event.execute(call, 6);
            event.sleep(Duration.ofMillis(10));
            seen.add(api.waiting() + " waiting, " + api.windowUse().getFirst().used() + " used");
            sixth.join();
            seen.add(clock.elapsed().toMillis() + " ms: " + api.windowUse().getFirst().used() + " used");
        });

        bot.run();

        assertEquals(List.of("1 waiting, 5 used", "1000 ms: 1 used"), seen);
    }

    /** Tests that every window of a group is read, the first one first: the second second empties only the first. */
    @Test
    void everyWindowIsReadFirstOneFirst(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.unlimited()
                .perWindow(5, Duration.ofSeconds(1)).perWindow(20, Duration.ofMinutes(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), n -> n);
        Window twentyPerMinute = new Window(20, Duration.ofMinutes(1), WindowAnchor.START);
        List<List<WindowUse>> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 3; i++) {
                call.call(i);
            }
            seen.add(api.windowUse());
            event.sleep(Duration.ofSeconds(1));
            seen.add(api.windowUse());
            event.sleep(Duration.ofMinutes(1));
            seen.add(api.windowUse());
        });

        bot.run();

        assertEquals(List.of(
                List.of(new WindowUse(FIVE_PER_SECOND, 3), new WindowUse(twentyPerMinute, 3)),
                List.of(new WindowUse(FIVE_PER_SECOND, 0), new WindowUse(twentyPerMinute, 3)),
                List.of(new WindowUse(FIVE_PER_SECOND, 0), new WindowUse(twentyPerMinute, 0))), seen);
    }

    /**
     * Tests that a window anchored at completion counts the places held: by a running attempt, then by
     * the ended attempt until a window after its end.
     */
    @Test
    void aWindowAnchoredAtCompletionCountsThePlacesHeldUntilAWindowAfterTheEnd(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.unlimited()
                .perWindow(3, Duration.ofSeconds(1)).anchoredAtCompletion());
        Execute<Integer, Integer> slow = bot.execute("slow", ExecuteOptions.groups("api"), n -> {
            clock.sleep(Duration.ofSeconds(2));
            return n;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> running = event.execute(slow, 1);
            event.sleep(Duration.ofMillis(1500)); // running, longer than a window: still held
            seen.add(clock.elapsed().toMillis() + " ms: " + api.windowUse().getFirst().used());
            running.join(); // ended at 2 s
            event.sleep(Duration.ofMillis(999));
            seen.add(clock.elapsed().toMillis() + " ms: " + api.windowUse().getFirst().used());
            event.sleep(Duration.ofMillis(1));
            seen.add(clock.elapsed().toMillis() + " ms: " + api.windowUse().getFirst().used());
        });

        bot.run();

        assertEquals(List.of("1500 ms: 1", "2999 ms: 1", "3000 ms: 0"), seen);
        assertEquals(new Window(3, Duration.ofSeconds(1), WindowAnchor.COMPLETION), api.windowUse().getFirst().window());
    }

    /** Tests that limits changed at run time show in the window read, the starts counted staying counted. */
    @Test
    void changedLimitsShowWithTheStartsCountedBefore(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(5, Duration.ofSeconds(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), n -> n);
        List<WindowUse> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            call.call(1);
            call.call(2);
            api.changeLimits(GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(2)));
            seen.addAll(api.windowUse());
        });

        bot.run();

        assertEquals(List.of(new WindowUse(new Window(10, Duration.ofSeconds(2), WindowAnchor.START), 2)), seen);
    }

    /** Tests that a group without a window has no window to read. */
    @Test
    void aGroupWithoutAWindowHasNoWindowUse(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();

        assertEquals(List.of(), bot.concurrentGroup("api", GroupLimits.concurrency(3)).windowUse());
    }
}
