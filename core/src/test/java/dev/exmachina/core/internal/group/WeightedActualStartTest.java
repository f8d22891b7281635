package dev.exmachina.core.internal.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Weighted calls through windows anchored at starts, with late wake-ups: the costs started in any
 * window never exceed its limit, and a window of one call at a time stays full. Driven by a hand-set
 * clock, instants in nanoseconds; seeded, so the same every run.
 */
class WeightedActualStartTest {

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

    private record Start(long at, int cost) {}

    /**
     * Tests that 50,000 calls costing 1 to 9 at random, arriving four times faster than a window of
     * 50 per 1,000 ns allows and waking 0 to 300 ns late for their reserved starts, never put more than
     * 50 of cost in any window of their actual starts, and use at least 75 % of it: the window is
     * anchored at actual starts, so wake-ups late by 15 % of a window on average cost about that much
     * (81 % here, and the same with every cost 1: the weights lose nothing of their own).
     */
    @Test
    void startedCostsStayWithinTheLimitWhateverTheLateness() {
        int limit = 50;
        long window = 1_000;
        HandClock clock = new HandClock();
        GroupImpl group = new GroupImpl("api", 0, GroupLimits.unlimited().perWindow(limit, Duration.ofNanos(window)));
        GroupGate gate = Permits.of(List.of(group)).gate(clock);
        SplittableRandom random = new SplittableRandom(11);
        record Wake(long at, long seq, Decision.StartAt decision) {}
        PriorityQueue<Wake> wakes = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        List<Start> starts = new ArrayList<>();
        long seq = 0;
        long arrival = 0;
        int calls = 50_000;
        for (int k = 0; k < calls || !wakes.isEmpty(); ) {
            if (k < calls && (wakes.isEmpty() || arrival <= wakes.peek().at)) {
                clock.now = arrival;
                int cost = 1 + random.nextInt(9);
                switch (gate.tryEnter(cost)) {
                    case Decision.StartNow now -> {
                        starts.add(new Start(clock.now, cost));
                        gate.release(now);
                    }
                    case Decision.StartAt at -> wakes.add(new Wake(at.atNanos() + random.nextLong(301), seq++, at));
                    case Decision.Queued queued -> throw new AssertionError("no slot limit, yet " + queued);
                }
                k++;
                arrival += random.nextLong(50);
            } else {
                Wake wake = wakes.poll();
                clock.now = wake.at;
                Decision.Granted started = gate.start(wake.decision);
                if (started != wake.decision && started instanceof Decision.StartAt later) {
                    wakes.add(new Wake(later.atNanos() + random.nextLong(301), seq++, later));
                } else {
                    starts.add(new Start(clock.now, Weight.of(started)));
                    gate.release(started);
                }
            }
        }
        starts.sort((a, b) -> Long.compare(a.at, b.at));
        long most = 0;
        long inWindow = 0;
        for (int i = 0, j = 0; i < starts.size(); i++) {
            inWindow += starts.get(i).cost;
            while (starts.get(i).at - starts.get(j).at >= window) {
                inWindow -= starts.get(j++).cost;
            }
            most = Math.max(most, inWindow);
        }
        long total = starts.stream().mapToLong(Start::cost).sum();
        double used = total / ((double) limit * (starts.getLast().at - starts.getFirst().at) / window);
        assertEquals(calls, starts.size());
        assertTrue(most <= limit, "most cost started in any window: " + most);
        assertTrue(used >= 0.75, "share of the limit used: " + used);
        assertEquals(0, group.waiting());
    }
}
