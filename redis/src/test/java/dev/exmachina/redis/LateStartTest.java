package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * A window anchored at starts, shared by two clients, when the thread of a reserved start runs late
 * (a process just started, a busy machine): the start counts on Redis at the instant its thread runs,
 * not at the instant reserved for it.
 *
 * <p>The test plays core's part through the {@link GroupGate} protocol, so that a thread's lateness is
 * chosen (300 ms here, where the fault showed with tens of milliseconds) instead of hoped for from a
 * loaded machine. Every instant is Redis {@code TIME}: a handler's first line is a {@code TIME} call
 * made right after the gate let the attempt go, and the instant its thread woke one made right before
 * it asked the gate. No tolerance: each check holds by the order of the calls.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class LateStartTest {

    private static final int LIMIT = 3;
    private static final Duration WINDOW = Duration.ofMillis(600);
    private static final long WINDOW_US = WINDOW.toNanos() / 1000;
    private static final long LATE_NANOS = Duration.ofMillis(300).toNanos();

    /** One start as seen from outside: its thread woke, Redis stamped it, its handler's first line ran. */
    private record Start(long woke, long stamped, long firstLine) {}

    /**
     * F15: with the window saturated, the reserved starts of one client began late and counted at their
     * reserved instants, so the other client's next starts were let in one window after those instants:
     * their handlers' first lines and the late ones' fell into one window, 2N where N were allowed
     * (15–17 for 10 with 4 processes just started).
     */
    @Test
    void aReservedStartThatBeginsLateCountsWhenItsThreadRuns(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(LIMIT, WINDOW);
        try (RedisClient ca = RedisClient.create("127.0.0.1", server.port());
                RedisClient cb = RedisClient.create("127.0.0.1", server.port());
                RedisClient probe = RedisClient.create("127.0.0.1", server.port());
                RedisGroups a = RedisGroups.builder(ca).prefix("late").build();
                RedisGroups b = RedisGroups.builder(cb).prefix("late").build()) {
            GroupGate gateA = a.gate(List.of(a.register("api", limits, BotClock.system())), BotClock.system());
            GroupGate gateB = b.gate(List.of(b.register("api", limits, BotClock.system())), BotClock.system());
            List<Long> firstLines = new ArrayList<>();
            List<Start> starts = new ArrayList<>();
            List<Decision.Granted> startedB = new ArrayList<>();

            List<Decision.Granted> first = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) { // A fills the first window
                Decision d = gateA.tryEnter();
                firstLines.add(RedisServer.micros(probe));
                first.add(assertInstanceOf(Decision.StartNow.class, d));
            }
            List<Decision.StartAt> reservedA = reserve(gateA); // one window later
            List<Decision.StartAt> reservedB = reserve(gateB); // two windows later, as reserved

            for (Decision.StartAt d : reservedA) { // A's threads run 300 ms after their reserved instants
                sleepUntil(d.atNanos() + LATE_NANOS);
                long woke = RedisServer.micros(probe);
                assertSame(d, gateA.start(d), "the window allows a late start at the instant it begins");
                Start s = new Start(woke, stamp(probe, d), RedisServer.micros(probe));
                starts.add(s);
                firstLines.add(s.firstLine);
            }
            List<Decision.StartAt> moved = new ArrayList<>();
            for (Decision.StartAt d : reservedB) { // B's threads run on time: A's late starts fill that window now
                sleepUntil(d.atNanos());
                long woke = RedisServer.micros(probe);
                Decision.Granted later = gateB.start(d);
                if (later == d) { // began where reserved: counted there
                    starts.add(new Start(woke, stamp(probe, d), RedisServer.micros(probe)));
                    firstLines.add(starts.getLast().firstLine);
                    startedB.add(d);
                } else {
                    moved.add(assertInstanceOf(Decision.StartAt.class, later));
                }
            }
            for (Decision.StartAt movedLater : moved) {
                Decision.StartAt later = movedLater;
                while (true) { // a start moved later sleeps again, then begins (or moves again)
                    sleepUntil(later.atNanos());
                    long woke = RedisServer.micros(probe);
                    Decision.Granted next = gateB.start(later);
                    if (next == later) {
                        Start s = new Start(woke, stamp(probe, later), RedisServer.micros(probe));
                        starts.add(s);
                        firstLines.add(s.firstLine);
                        startedB.add(later);
                        break;
                    }
                    later = assertInstanceOf(Decision.StartAt.class, next);
                }
            }
            first.forEach(gateA::release);
            reservedA.forEach(gateA::release);
            startedB.forEach(gateB::release);

            Collections.sort(firstLines);
            int most = RedisServer.densest(firstLines, WINDOW_US);
            System.out.println("[late start] " + LIMIT + " per " + WINDOW.toMillis() + " ms, 3 starts 300 ms late: at most "
                    + most + " first lines in any window, of " + firstLines);
            assertEquals(3 * LIMIT, firstLines.size());
            for (Start s : starts) { // counted when its thread ran: after it woke, before its first line
                assertTrue(s.woke <= s.stamped && s.stamped <= s.firstLine, s.toString());
            }
            assertTrue(most <= LIMIT, most + " handlers' first lines in one window of " + LIMIT);
            // B's starts, on time, found A's late ones in their window and were moved one window after them.
            assertEquals(LIMIT, moved.size(), "B's starts moved later");
            for (Decision.StartAt d : moved) {
                assertTrue(d.atNanos() > reservedB.getLast().atNanos(), d + " is not later than reserved");
            }
        }
    }

    private static List<Decision.StartAt> reserve(GroupGate gate) {
        List<Decision.StartAt> out = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) { // the window is full: a start is reserved
            out.add(assertInstanceOf(Decision.StartAt.class, gate.tryEnter()));
        }
        return out;
    }

    /** The start's instant in the window's record (µs of Redis time). */
    private static long stamp(RedisClient probe, Decision.Granted d) {
        Double score = probe.zscore("late:group:api:starts", ((RedisGate.Grant) d.lease()).id);
        assertTrue(score != null, "no start recorded for " + d);
        return score.longValue();
    }

    private static void sleepUntil(long nanos) {
        for (long left; (left = nanos - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
