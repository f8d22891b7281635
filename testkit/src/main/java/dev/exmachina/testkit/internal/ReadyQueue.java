package dev.exmachina.testkit.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The participants that may run, in the order they became READY: first in, first out, or drawn
 * from a seeded {@link Random} so that each seed gives its own, reproducible, interleaving. Guarded
 * by the clock's lock.
 */
final class ReadyQueue {

    private final ArrayDeque<Participant> queue = new ArrayDeque<>();
    private final @Nullable Random draw;

    ReadyQueue(@Nullable Random draw) {
        this.draw = draw;
    }

    void add(Participant p) {
        queue.add(p);
    }

    /** The next participant to run, removed; null if none is ready. */
    @Nullable Participant poll() {
        Random d = draw;
        if (d == null || queue.size() < 2) {
            return queue.poll();
        }
        int pick = d.nextInt(queue.size());
        Iterator<Participant> it = queue.iterator();
        for (int i = 0; i < pick; i++) {
            it.next();
        }
        Participant chosen = it.next();
        it.remove();
        return chosen;
    }
}
