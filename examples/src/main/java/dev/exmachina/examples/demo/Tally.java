package dev.exmachina.examples.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the bot counted while it ran; the summary is made from it. Thread-safe. */
final class Tally {
    /** One call of an execute, carried as its argument so that every attempt of it is counted. */
    static final class Ask<T> {
        final T request;
        final AtomicInteger attempts = new AtomicInteger();

        Ask(T request) {
            this.request = request;
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public String toString() {
            return String.valueOf(request);
        }
    }

    /** Iterations of one emit, and the executes it called (forked or direct). */
    record EmitCount(long iterations, long executes) {}

    final LongAdder retries = new LongAdder();
    final LongAdder recovered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder startupCalls = new LongAdder();
    private final Map<String, LongAdder[]> emits = new LinkedHashMap<>(); // fixed at construction

    /** A tally of these emits, in the order the summary lists them. */
    Tally(String... emits) {
        for (String name : emits) this.emits.put(name, new LongAdder[] {new LongAdder(), new LongAdder()});
    }

    void iteration(String emit) {
        emits.get(emit)[0].increment();
    }

    void executes(String emit, int n) {
        emits.get(emit)[1].add(n);
    }

    /** A call finished: it recovered if it needed more than one attempt. */
    void succeeded(Ask<?> ask) {
        if (ask.attempts() > 1) recovered.increment();
    }

    Map<String, EmitCount> emitCounts() {
        var counts = new LinkedHashMap<String, EmitCount>();
        emits.forEach((name, c) -> counts.put(name, new EmitCount(c[0].sum(), c[1].sum())));
        return counts;
    }
}
