package dev.exmachina.bench;

import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1: one task forked and joined from a virtual thread. Each invocation starts one virtual thread
 * that does {@link #BATCH} fork+join rounds, so the thread start is spread thin over the rounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g"})
public class ForkJoinBench {
    static final int BATCH = 1_000;

    /** The anchor: open a scope, fork one task, join, close; what core does at the least. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bareScope() throws Exception {
        return VirtualThreads.call(() -> {
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                int arg = i;
                try (var scope = StructuredTaskScope.open()) {
                    var task = scope.fork(() -> arg + 1);
                    scope.join();
                    sum += task.get();
                }
            }
            return sum;
        });
    }
}
