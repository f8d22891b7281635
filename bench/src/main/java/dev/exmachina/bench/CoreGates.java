package dev.exmachina.bench;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/** A core concurrent group with a window of N per T (no concurrency limit), as a {@link Gate}. */
final class CoreGates {
    private CoreGates() {}

    static final List<AnchorGates.Kind> ALL = List.of(
            new AnchorGates.Kind("core", "core group, sliding window; instants read in the handler",
                    (n, t) -> gate(n, t, BotClock.system(), false)),
            new AnchorGates.Kind("core-decided", "core group; instants the group decided, traced through the clock SPI",
                    (n, t) -> gate(n, t, new TracingClock(BotClock.system()), true)));

    private static Gate gate(int n, Duration window, BotClock clock, boolean decided) {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("window", GroupLimits.unlimited().perWindow(n, window));
        Execute<LongConsumer, Boolean> execute = bot.execute("start", ExecuteOptions.groups("window"), started -> {
            started.accept(System.nanoTime());
            return true;
        });
        if (!decided) return execute::call;
        return started -> {
            TracingClock.arm();
            execute.call(readInHandler -> {
                TracingClock.disarm();
                started.accept(TracingClock.decided());
            });
        };
    }

    /**
     * The system clock, noting for the calling thread the instant its group decided: core exposes
     * no start instants, so this reads them where core passes them through the clock SPI. An
     * attempt that must wait parks with the reserved start as its deadline; one let through at
     * once started at the instant the group read ({@code start = max(now, ...) = now}). If the
     * reserved start falls between the group's two reads of the clock (nanoseconds apart) no park
     * happens and the earlier read is noted: possible, rare, and it can only undercount.
     */
    static final class TracingClock implements BotClock {
        private static final ThreadLocal<long[]> TRACE = ThreadLocal.withInitial(() -> new long[3]);
        private static final int ARMED = 0, FIRST_READ = 1, PARK_DEADLINE = 2;
        private final BotClock delegate;

        TracingClock(BotClock delegate) {
            this.delegate = delegate;
        }

        static void arm() {
            long[] trace = TRACE.get();
            trace[ARMED] = 1;
            trace[FIRST_READ] = 0;
            trace[PARK_DEADLINE] = 0;
        }

        static void disarm() {
            TRACE.get()[ARMED] = 0;
        }

        /** The decided start of the calling thread's last attempt. */
        static long decided() {
            long[] trace = TRACE.get();
            return trace[PARK_DEADLINE] != 0 ? trace[PARK_DEADLINE] : trace[FIRST_READ];
        }

        @Override
        public long nanoTime() {
            long now = delegate.nanoTime();
            long[] trace = TRACE.get();
            if (trace[ARMED] == 1 && trace[FIRST_READ] == 0) trace[FIRST_READ] = now;
            return now;
        }

        @Override
        public void park(Object blocker, long deadlineNanos) {
            long[] trace = TRACE.get();
            if (trace[ARMED] == 1 && deadlineNanos != NO_DEADLINE && blocker.toString().startsWith("the window of")) {
                trace[PARK_DEADLINE] = deadlineNanos;
            }
            delegate.park(blocker, deadlineNanos);
        }

        @Override
        public Instant instant() {
            return delegate.instant();
        }

        @Override
        public ThreadFactory threadFactory(String name) {
            return delegate.threadFactory(name);
        }

        @Override
        public void unpark(Thread thread) {
            delegate.unpark(thread);
        }

        @Override
        public void interrupt(Thread thread) {
            delegate.interrupt(thread);
        }

        @Override
        public RandomGenerator random() {
            return delegate.random();
        }
    }
}
