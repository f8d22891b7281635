package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.AttemptTimeoutException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Timeline} draws what the listener events say, on the virtual time they happened at. */
@ExtendWith(VirtualClockExtension.class)
class TimelineTest {

    /**
     * An emit "poll" at 1 s, 3 iterations, each forking two calls of "fetch" through group "api"
     * (1 slot, 2 starts per 10 s): the second of each pair waits for the slot, later ones for a
     * window start. "fetch" fails its first attempt (a retry after 500 ms), an attempt of "slow"
     * times out after 2 s.
     */
    static Machina scenario(VirtualClock clock, Timeline timeline) {
        var bot = Machina.builder().clock(clock).listener(timeline).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1).perWindow(2, Duration.ofSeconds(10)));
        var calls = new AtomicInteger();
        Execute<Integer, Integer> fetch = bot.execute("fetch", ExecuteOptions.groups("api")
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofMillis(500)).retries(1))), n -> {
                    clock.sleep(Duration.ofMillis(100));
                    if (calls.incrementAndGet() == 1) {
                        throw new IOException("first call fails");
                    }
                    return n;
                });
        Execute<Integer, Integer> slow = bot.execute("slow", ExecuteOptions.defaults().attemptTimeout(Duration.ofSeconds(2)), n -> {
            clock.sleep(Duration.ofSeconds(5));
            return n;
        });
        bot.emit("poll", EmitOptions.every("1s").count(3), event -> {
            var a = event.execute(fetch, 1);
            var b = event.execute(fetch, 2);
            a.join();
            b.join();
            if (event.epoch() == 1) {
                try {
                    event.execute(slow, 0).join();
                } catch (AttemptTimeoutException expected) {
                    // drawn as a timeout
                }
            }
        });
        return bot;
    }

    @Test
    void thePageHasALanePerEmitExecuteAndGroupAndEveryKindOfEventOnIt(VirtualClock clock, Timeline timeline,
            @TempDir Path dir) throws Exception {
        scenario(clock, timeline).run();
        String html = Files.readString(timeline.write(dir.resolve("run.html")));

        assertEquals(Set.of("bot machina", "emit poll", "execute fetch", "execute slow", "group api"), lanes(html));
        Set<String> kinds = Set.of("bot-started", "bot-stopped", "iteration", "attempt-success", "attempt-failure",
                "retry-wait", "wait-slot", "wait-window", "timeout");
        for (String kind : kinds) {
            assertTrue(html.contains("<rect class=\"mark " + kind + "\" data-kind=\"" + kind + "\"")
                    || html.contains("<path class=\"mark " + kind + "\" data-kind=\"" + kind + "\""), "drawn: " + kind);
        }
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing loaded from the network");
    }

    @Test
    void marksSitOnTheVirtualInstantsOfTheirEvents(VirtualClock clock, Timeline timeline) throws Exception {
        scenario(clock, timeline).run();
        List<Timeline.Mark> marks = timeline.marks();

        var retry = marks.stream().filter(m -> m.kind().equals("retry-wait")).findFirst().orElseThrow();
        assertEquals("execute fetch", retry.lane());
        assertEquals(Duration.ofMillis(100).toNanos(), retry.startNanos(), "the first attempt failed after its 100 ms");
        assertEquals(Duration.ofMillis(600).toNanos(), retry.endNanos(), "and waits 500 ms");

        var timeout = marks.stream().filter(m -> m.kind().equals("timeout")).findFirst().orElseThrow();
        assertEquals("execute slow", timeout.lane());
        assertEquals(Duration.ofSeconds(2).toNanos(), timeout.endNanos() - timeout.startNanos());

        var slotWait = marks.stream().filter(m -> m.kind().equals("wait-slot")).findFirst().orElseThrow();
        assertEquals("group api", slotWait.lane());
        assertTrue(slotWait.label().startsWith("fetch waited "), slotWait.label());

        var iterations = marks.stream().filter(m -> m.kind().equals("iteration")).map(Timeline.Mark::startNanos).toList();
        assertEquals(3, iterations.size());
    }

    @Test
    void aStillRunningIterationIsDrawnUpToNow(VirtualClock clock, Timeline timeline) throws Exception {
        var bot = Machina.builder().clock(clock).listener(timeline).build();
        bot.emit("long", EmitOptions.every("1s").count(1), event -> event.sleep(Duration.ofHours(1)));
        var running = clock.launch(bot::run);
        clock.advance(Duration.ofMinutes(1));

        var open = timeline.marks().stream().filter(m -> m.kind().equals("running")).findFirst().orElseThrow();
        assertEquals("emit long", open.lane());
        assertEquals(Duration.ofMinutes(1).toNanos(), open.endNanos() - open.startNanos());
        bot.stop();
        running.join();
    }

    /** An event the lanes have no bar for is a mark named after it, on the lane it names (here the bot's). */
    @Test
    void anEventOfAnotherKindIsAMarkNamedAfterItOnItsLane(VirtualClock clock, Timeline timeline) {
        var bot = Machina.builder().clock(clock).listener(timeline).onStartup(() -> {
            throw new IllegalStateException("no config");
        }).build();
        bot.emit("never", EmitOptions.every("1s").count(1), event -> {});
        assertThrows(Exception.class, bot::run);

        var hook = timeline.marks().stream().filter(m -> m.kind().equals("hook-failed")).findFirst().orElseThrow();
        assertEquals("bot machina", hook.lane());
        assertTrue(hook.label().contains("no config"), hook.label());
    }

    /** The values of {@code data-lane} on the SVG's lanes. */
    static Set<String> lanes(String html) {
        Set<String> lanes = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<g class=\"lane\" data-lane=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            lanes.add(m.group(1));
        }
        return lanes;
    }
}
