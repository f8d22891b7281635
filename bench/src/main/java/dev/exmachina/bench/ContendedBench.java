package dev.exmachina.bench;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P3: {@link #THREADS} virtual threads on {@link #PERMITS} permits, each yielding while it holds
 * one. Virtual threads are not time-sliced, so without the yield a holder would never be preempted
 * and the permits would never be contended. One operation is one acquire, yield, release.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class ContendedBench {
    static final int THREADS = 256;
    static final int PERMITS = 16;
    static final int ROUNDS = 100;
    static final int OPS = THREADS * ROUNDS;
    /** Long enough never to be reached: waiting is the point, rejection would skew the count. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private Semaphore fair;
    private Semaphore unfair;
    private Bulkhead resilience4j;
    private dev.failsafe.Bulkhead<Object> failsafe;
    private FailsafeExecutor<Object> failsafeExecutor;
    private Execute<Integer, Integer> core;

    @Setup
    public void setUp() {
        fair = new Semaphore(PERMITS, true);
        unfair = new Semaphore(PERMITS, false);
        resilience4j = Bulkhead.of("bench", BulkheadConfig.custom()
                .maxConcurrentCalls(PERMITS)
                .maxWaitDuration(MAX_WAIT)
                .fairCallHandlingStrategyEnabled(true)
                .build());
        failsafe = dev.failsafe.Bulkhead.builder(PERMITS).withMaxWaitTime(MAX_WAIT).build();
        failsafeExecutor = Failsafe.with(dev.failsafe.Bulkhead.builder(PERMITS).withMaxWaitTime(MAX_WAIT).build());

        var bot = Machina.builder().build();
        bot.concurrentGroup("api", GroupLimits.concurrency(PERMITS));
        core = bot.execute("hold", ExecuteOptions.groups("api"), x -> {
            Thread.yield();
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void semaphoreFair() throws Exception {
        onSemaphore(fair);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void semaphoreUnfair() throws Exception {
        onSemaphore(unfair);
    }

    private static void onSemaphore(Semaphore semaphore) throws Exception {
        VirtualThreads.runAll(THREADS, i -> {
            for (int r = 0; r < ROUNDS; r++) {
                semaphore.acquire();
                try {
                    Thread.yield();
                } finally {
                    semaphore.release();
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void resilience4jBulkhead() throws Exception {
        VirtualThreads.runAll(THREADS, i -> {
            for (int r = 0; r < ROUNDS; r++) {
                resilience4j.acquirePermission();
                try {
                    Thread.yield();
                } finally {
                    resilience4j.onComplete();
                }
            }
        });
    }

    /** Failsafe's bulkhead used directly, permit by permit. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void failsafeBulkhead() throws Exception {
        VirtualThreads.runAll(THREADS, i -> {
            for (int r = 0; r < ROUNDS; r++) {
                failsafe.acquirePermit();
                try {
                    Thread.yield();
                } finally {
                    failsafe.releasePermit();
                }
            }
        });
    }

    /** Failsafe's bulkhead as users mostly meet it: a policy of {@code Failsafe.with(...).run}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void failsafeBulkheadPolicy() throws Exception {
        VirtualThreads.runAll(THREADS, i -> {
            for (int r = 0; r < ROUNDS; r++) {
                failsafeExecutor.run(Thread::yield);
            }
        });
    }

    /** Core: each thread calls an execute of a concurrency-16 group directly; the handler yields. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void coreGroup() throws Exception {
        VirtualThreads.runAll(THREADS, i -> {
            for (int r = 0; r < ROUNDS; r++) {
                core.call(r);
            }
        });
    }
}
