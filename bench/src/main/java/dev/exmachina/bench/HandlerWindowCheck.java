package dev.exmachina.bench;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * P4 where the API counts: a core group of N starts per T on the real clock, saturated by forked
 * calls through a small concurrency limit (slot hand-overs and reserved window starts, the paths
 * where a thread wakes up late), checked on two sets of instants:
 * <ul>
 *   <li><b>decided</b>: the group's last read of the bot clock before the handler ran, on that
 *       thread: the instant the group counted the start (a start-now decision or the stamp of a
 *       reserved start), or, after a wait for a slot, its read for the observer a few hundred
 *       nanoseconds later;</li>
 *   <li><b>handler</b>: {@link System#nanoTime()} at the handler's first line, what a server
 *       counting arrivals would see if the request went out at once.</li>
 * </ul>
 * Both are checked exactly by {@link WindowCheck#analyse}. The handler side may exceed N by the
 * starts preempted between the group's decision and the handler's first line.
 *
 * <pre>java -cp benchmarks.jar dev.exmachina.bench.HandlerWindowCheck \
 *     --n=500 --window-ms=10 --starts=1000000 --concurrency=8 --callers=64 --batch=2000</pre>
 */
public final class HandlerWindowCheck {
    private HandlerWindowCheck() {}

    /** The system clock, remembering per thread the last instant it read (the group's decision). */
    static final class RecordingClock implements BotClock {
        private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[1]);
        private final BotClock system = BotClock.system();

        static long lastRead() {
            return LAST.get()[0];
        }

        @Override public long nanoTime() {
            long now = system.nanoTime();
            LAST.get()[0] = now;
            return now;
        }
        @Override public Instant instant() { return system.instant(); }
        @Override public ThreadFactory threadFactory(String name) { return system.threadFactory(name); }
        @Override public void park(Object blocker, long deadlineNanos) { system.park(blocker, deadlineNanos); }
        @Override public void unpark(Thread thread) { system.unpark(thread); }
        @Override public void interrupt(Thread thread) { system.interrupt(thread); }
        @Override public Timer schedule(Runnable action, long deadlineNanos) { return system.schedule(action, deadlineNanos); }
        @Override public RandomGenerator random() { return system.random(); }
    }

    /** The decided-side and handler-side results of one run. */
    public record Result(WindowCheck.Result decided, WindowCheck.Result handler) {}

    /**
     * Runs {@code starts} calls: an emit forks them {@code batch} at a time through a group of
     * {@code concurrency} slots and {@code n} starts per {@code window}, {@code anchor}ed as given.
     */
    public static Result run(int n, Duration window, int starts, int concurrency, int batch,
            GroupLimits.WindowAnchor anchor) throws Exception {
        var clock = new RecordingClock();
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(concurrency).perWindow(n, window).anchor(anchor));
        long[] requested = new long[starts];
        long[] decided = new long[starts];
        long[] handler = new long[starts];
        Execute<Integer, Boolean> call = bot.execute("call", ExecuteOptions.groups("api"), k -> {
            handler[k] = System.nanoTime();
            decided[k] = RecordingClock.lastRead();
            return true;
        });
        Execute<Integer, Boolean> caller = bot.execute("caller", ExecuteOptions.defaults(), k -> {
            requested[k] = System.nanoTime();
            return call.call(k);
        });
        var next = new AtomicInteger();
        bot.emit("load", EmitOptions.defaults().count(1), event -> {
            while (next.get() < starts) {
                List<Forked<Boolean>> forks = new ArrayList<>(batch);
                for (int i = 0; i < batch && next.get() < starts; i++) {
                    forks.add(event.execute(caller, next.getAndIncrement()));
                }
                for (Forked<Boolean> fork : forks) {
                    fork.join();
                }
            }
        });
        long t0 = System.nanoTime();
        bot.run();
        long wall = System.nanoTime() - t0;
        String name = "core " + anchor.name().toLowerCase(Locale.ROOT) + "-anchored, concurrency " + concurrency;
        return new Result(WindowCheck.analyse(name + ", decided", n, window, batch, wall, requested, decided),
                WindowCheck.analyse(name + ", handler's first line", n, window, batch, wall, requested, handler));
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv);
        int n = args.integer("n", 500);
        var window = Duration.ofMillis(args.number("window-ms", 10));
        int starts = args.integer("starts", 1_000_000);
        int concurrency = args.integer("concurrency", 8);
        int batch = args.integer("batch", 2_000);
        var anchor = GroupLimits.WindowAnchor.valueOf(args.string("anchor", "start").toUpperCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "Handler-side window check: %d per %d ms, %d forked calls (%d at a time),"
                        + " concurrency %d, %s-anchored, %d cores%n", n, window.toMillis(), starts, batch, concurrency,
                anchor.name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors());
        var result = run(n, window, starts, concurrency, batch, anchor);
        System.out.println(WindowCheck.Result.header());
        System.out.println(result.decided().row());
        System.out.println(result.handler().row());
    }
}
