package dev.exmachina.bench;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P2: one call through a concurrency limit and a time window, uncontended (one caller, the window
 * never full). The window allows 10^8 starts/s, beyond one thread's reach, so it is counted but never
 * waited on; it is short (1,000 per 10 µs) because an exact sliding window keeps one instant per
 * allowed start, and a window of 10^6 would measure cache misses on its 8 MB ring instead of the call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class DirectCallBench {
    /** Concurrency of every limiter here; never reached by one caller. */
    static final int CONCURRENCY = 16;
    static final int WINDOW_CALLS = 1_000;
    static final Duration WINDOW = Duration.ofNanos(10_000);

    private final Semaphore unfair = new Semaphore(CONCURRENCY, false);
    private final Semaphore fair = new Semaphore(CONCURRENCY, true);
    private Supplier<Integer> resilience4j;
    private Execute<Integer, Integer> core;
    private Execute<Integer, Integer> coreNoGroup;
    private Execute<Integer, Integer> coreSlotsOnly;
    private int arg;

    @Setup
    public void setUp() {
        var bulkhead = Bulkhead.of("bench", BulkheadConfig.custom()
                .maxConcurrentCalls(CONCURRENCY)
                .maxWaitDuration(Duration.ofSeconds(1))
                .build());
        var limiter = RateLimiter.of("bench", RateLimiterConfig.custom()
                .limitForPeriod(WINDOW_CALLS)
                .limitRefreshPeriod(WINDOW)
                .timeoutDuration(Duration.ofSeconds(1))
                .build());
        // The order a user would write: the bulkhead outside, the rate limiter inside.
        resilience4j = Bulkhead.decorateSupplier(bulkhead, RateLimiter.decorateSupplier(limiter, this::work));

        var bot = Machina.builder().build();
        bot.concurrentGroup("api", GroupLimits.concurrency(CONCURRENCY).perWindow(WINDOW_CALLS, WINDOW));
        core = bot.execute("call", ExecuteOptions.groups("api"), x -> work());
        coreNoGroup = bot.execute("plain", ExecuteOptions.defaults(), x -> work());
        bot.concurrentGroup("slots", GroupLimits.concurrency(CONCURRENCY));
        coreSlotsOnly = bot.execute("slots-only", ExecuteOptions.groups("slots"), x -> work());
    }

    /** Changes state so it cannot be folded away, within the boxing cache so it allocates nothing. */
    private Integer work() {
        arg = (arg + 1) & 63;
        return arg;
    }

    @Benchmark
    public Integer resilience4jChain() {
        return resilience4j.get();
    }

    @Benchmark
    public Integer semaphoreUnfair() throws InterruptedException {
        unfair.acquire();
        try {
            return work();
        } finally {
            unfair.release();
        }
    }

    @Benchmark
    public Integer semaphoreFair() throws InterruptedException {
        fair.acquire();
        try {
            return work();
        } finally {
            fair.release();
        }
    }

    /** Core: a direct call through one group with a concurrency limit and a window. */
    @Benchmark
    public Integer coreCall() throws Exception {
        return core.call(arg);
    }

    /** Core: a direct call through no group, to split the cost of the call from that of the group. */
    @Benchmark
    public Integer coreCallNoGroup() throws Exception {
        return coreNoGroup.call(arg);
    }

    /** Core: a direct call through one group with a concurrency limit only (no window: no clock read). */
    @Benchmark
    public Integer coreCallConcurrencyOnly() throws Exception {
        return coreSlotsOnly.call(arg);
    }

    /**
     * Reference, not a goal: one read of the clock. An exact sliding window must timestamp every
     * start, so this is a floor under any call through a window (Resilience4j's limiter reads it too).
     */
    @Benchmark
    public long clockRead() {
        return System.nanoTime();
    }
}
