package dev.exmachina.core.internal.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Windows anchored at starts are exact on the instants attempts actually start: a thread that wakes
 * late for its reserved start is stamped when it runs, and a later reservation that would then put
 * one start too many in a window is moved. Driven by a hand-set clock, instants in nanoseconds.
 */
class ActualStartTest {

    /** A clock whose time the test sets; nothing waits on it. */
    private static final class HandClock implements BotClock {
        long now;

        @Override public long nanoTime() { return now; }
        @Override public Instant instant() { return Instant.ofEpochSecond(0, now); }
        @Override public ThreadFactory threadFactory(String name) { return Thread.ofVirtual().factory(); }
        @Override public void park(Object blocker, long deadlineNanos) {}
        @Override public void unpark(Thread thread) {}
        @Override public void interrupt(Thread thread) { thread.interrupt(); }
        @Override public RandomGenerator random() { return RandomGenerator.getDefault(); }
    }

    /**
     * Tests that a late start pushes back a later reservation that no longer fits: 1 start per 100,
     * starts at 0, reservations at 100 and 200; the first wakes at 150 and is stamped there, so the
     * one reserved at 200 (on time) is moved to 250.
     */
    @Test
    void aLateStartPushesBackTheNextReservation() {
        StartWindow window = new StartWindow(1, 100);
        window.record(window.earliest(0));
        long a = window.earliest(0);
        window.record(a);
        long b = window.earliest(0);
        window.record(b);
        assertEquals(List.of(100L, 200L), List.of(a, b));

        assertEquals(150, window.restamp(100, 150), "a late start is counted when it runs");
        assertEquals(250, window.restamp(200, 200), "the next one keeps a window's distance from it");
        assertEquals(350, window.earliest(250));
    }

    /**
     * Tests that a start that woke late and found its window full moves just past the start that
     * filled it, in its sorted place, never behind the reservations made after it: 1 per 100, started
     * at 0, reserved at 100, 200 and 300; the first wakes 30 late, the second only 10 late (so its
     * window, ending at 210, still holds the first's 130) and goes at 230, not at 400 behind the one
     * reserved at 300, which then goes at 330. Every stamp keeps a window's distance from the one
     * before. Fault F14 (a saturated start-anchored window gave away up to 38 % of its limit on the
     * real clock: the moved start was appended after every later reservation, a window after the last).
     */
    @Test
    void aLateStartThatFindsItsWindowFullMovesJustPastItNotBehindLaterReservations() {
        StartWindow window = new StartWindow(1, 100);
        window.record(window.earliest(0));
        long[] reserved = new long[3];
        for (int i = 0; i < 3; i++) {
            reserved[i] = window.earliest(0);
            window.record(reserved[i]);
        }
        assertEquals(List.of(100L, 200L, 300L), Arrays.stream(reserved).boxed().toList());

        assertEquals(130, window.restamp(100, 130), "late by 30, and its window holds only the start at 0");
        assertEquals(230, window.restamp(200, 210), "a window after the start at 130, before the one reserved at 300");
        assertEquals(330, window.restamp(300, 300), "the reservation after it keeps a window's distance");
        assertEquals(430, window.earliest(330));
    }

    /** Tests that an on-time start stays where it was reserved, and a late one that still fits starts now. */
    @Test
    void onTimeAndLateButFittingStartsAreNotMoved() {
        StartWindow window = new StartWindow(2, 100);
        window.record(window.earliest(0));
        window.record(window.earliest(0));
        long third = window.earliest(10);
        window.record(third);
        assertEquals(100, third);
        assertEquals(100, window.restamp(100, 100));
        long fourth = window.earliest(20);
        window.record(fourth);
        assertEquals(100, fourth);
        assertEquals(130, window.restamp(100, 130), "late by 30, and nothing else counted in (30, 130]");
        assertEquals(200, window.earliest(130), "2 per 100: a window after the first of the two");
        window.record(200);
        assertEquals(230, window.earliest(130), "then a window after the actual late start, not after its reservation");
    }

    /**
     * Tests the gate: a reserved start whose thread wakes late is stamped at the actual instant
     * through {@link GroupGate#start}; the reservation after it that no longer fits gets a later
     * {@code START_AT} instead of starting, and the group counts it waiting until then.
     */
    @Test
    void theGateMovesAStartThatALateWakeUpWouldOverfill() {
        HandClock clock = new HandClock();
        GroupImpl group = new GroupImpl("api", 0, GroupLimits.unlimited().perWindow(1, Duration.ofNanos(100)));
        GroupGate gate = Permits.of(List.of(group)).gate(clock);

        Decision.StartNow first = assertInstanceOf(Decision.StartNow.class, gate.tryEnter());
        assertSame(Decision.START_NOW, first);
        Decision.StartAt second = assertInstanceOf(Decision.StartAt.class, gate.tryEnter());
        Decision.StartAt third = assertInstanceOf(Decision.StartAt.class, gate.tryEnter());
        assertEquals(100, second.atNanos());
        assertEquals(200, third.atNanos());
        gate.release(first);

        clock.now = 180; // the second wakes 80 late
        assertSame(second, gate.start(second));
        clock.now = 200; // the third on time: it would be the 2nd start in (100, 200]... and in [180, 280)
        Decision.StartAt moved = assertInstanceOf(Decision.StartAt.class, gate.start(third));
        assertEquals(280, moved.atNanos());
        assertEquals(1, group.waiting());
        clock.now = 280;
        assertSame(moved, gate.start(moved));
        assertEquals(0, group.waiting());
        assertEquals(2, group.inFlight());
        gate.release(second);
        gate.release(moved);
        assertEquals(0, group.inFlight());
    }

    /**
     * Tests that the actual starts never exceed the limit in any window, whatever the lateness:
     * 200,000 attempts arrive at random through a window of 50 per 1,000 ns; every reserved start
     * wakes 0 to 300 ns late (30 % of a window), is stamped through {@link GroupGate#start}, and
     * sleeps again when moved. Seeded, so the same every run.
     */
    @Test
    void actualStartsStayWithinTheLimitWhateverTheLateness() {
        int n = 50;
        long window = 1_000;
        HandClock clock = new HandClock();
        GroupImpl group = new GroupImpl("api", 0, GroupLimits.unlimited().perWindow(n, Duration.ofNanos(window)));
        GroupGate gate = Permits.of(List.of(group)).gate(clock);
        SplittableRandom random = new SplittableRandom(7);
        record Wake(long at, long seq, Decision.StartAt decision) {}
        PriorityQueue<Wake> wakes = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        List<Long> stamps = new ArrayList<>();
        long seq = 0;
        long arrival = 0;
        int moved = 0;
        for (int k = 0; k < 200_000 || !wakes.isEmpty(); ) {
            boolean arrive = k < 200_000 && (wakes.isEmpty() || arrival <= wakes.peek().at);
            if (arrive) {
                clock.now = arrival;
                switch (gate.tryEnter()) {
                    case Decision.StartNow now -> {
                        stamps.add(clock.now);
                        gate.release(now);
                    }
                    case Decision.StartAt at -> wakes.add(new Wake(at.atNanos() + random.nextLong(301), seq++, at));
                    case Decision.Queued queued -> throw new AssertionError("no slot limit, yet " + queued);
                }
                k++;
                arrival += random.nextLong(25);
            } else {
                Wake wake = wakes.poll();
                clock.now = wake.at;
                Decision.Granted started = gate.start(wake.decision);
                if (started != wake.decision && started instanceof Decision.StartAt later) {
                    moved++;
                    wakes.add(new Wake(later.atNanos() + random.nextLong(301), seq++, later));
                } else {
                    stamps.add(clock.now);
                    gate.release(started);
                }
            }
        }
        long[] sorted = stamps.stream().mapToLong(Long::longValue).sorted().toArray();
        int most = 0;
        for (int i = 0, j = 0; i < sorted.length; i++) {
            while (sorted[i] - sorted[j] >= window) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertEquals(200_000, sorted.length);
        assertEquals(n, most, "most actual starts in any window");
        assertEquals(true, moved > 0, "some late wake-ups moved a later start");
        assertEquals(0, group.waiting());
        assertEquals(0, group.inFlight());
        assertEquals(true, Arrays.stream(sorted).allMatch(t -> t >= 0));
    }
}
