package dev.exmachina.bench;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.management.ObjectName;

/**
 * P5: many live loops, each idle between ticks of one interval, their first ticks spread over one
 * interval. Measures the heap each idle loop retains (heap after full GCs, with and without the
 * loops) and the lateness of their ticks. Run each kind in a fresh JVM so heap figures compare:
 *
 * <pre>java --enable-preview -Xmx4g -cp benchmarks.jar dev.exmachina.bench.IdleLoops --kind=bare --loops=100000</pre>
 */
public final class IdleLoops {
    private IdleLoops() {}

    /** {@code allocatedPerTick}: heap allocated while recording, per tick; GC figures are for that time too. */
    public record Result(String kind, int loops, double heapPerLoop, int ticks,
                         long lateP50, long lateP99, long lateP999, long lateMax,
                         double allocatedPerTick, double cpuPerTick, long gcCount, long gcMillis) {
        public String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.0f B | %d | %.1f | %.1f | %.1f | %.1f | %.0f B | %.1f µs | %d, %d ms |",
                    kind, loops, heapPerLoop, ticks, lateP50 / 1e3, lateP99 / 1e3, lateP999 / 1e3, lateMax / 1e3,
                    allocatedPerTick, cpuPerTick / 1e3, gcCount, gcMillis);
        }

        public static String header() {
            return "| loops | count | retained heap per idle loop | ticks recorded"
                    + " | late p50 µs | late p99 µs | late p99.9 µs | late max µs | allocated per tick"
                    + " | process CPU per tick | GCs while recording |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|";
        }
    }

    /** Every kind of fleet, by name. */
    static final List<String> KINDS = List.of("bare", "core");

    /** A fleet by name. */
    static Fleet fleet(String kind) {
        return switch (kind) {
            case "bare" -> new BareFleet();
            case "core" -> new CoreFleet();
            default -> throw new IllegalArgumentException("unknown kind '" + kind + "', expected one of: " + KINDS);
        };
    }

    public static Result measure(String kind, int loops, Duration interval, Duration spread, Duration settle,
                                 Duration record) throws Exception {
        return measure(kind, loops, interval, spread, settle, record, false);
    }

    /** As above; {@code histogram}: also print the live classes taking the most heap, with the loops idle. */
    public static Result measure(String kind, int loops, Duration interval, Duration spread, Duration settle,
                                 Duration record, boolean histogram) throws Exception {
        var fleet = fleet(kind);
        long ticksPerLoop = record.toNanos() / interval.toNanos() + 2;
        var ticks = new Ticks(loops, interval.toNanos(), (int) Math.min(Integer.MAX_VALUE - 8, loops * ticksPerLoop));
        var random = new SplittableRandom(42);
        var offsets = new Duration[loops];
        for (int i = 0; i < loops; i++) offsets[i] = Duration.ofNanos(random.nextLong(spread.toNanos() + 1));

        long baseline = heapAfterGc();
        fleet.start(loops, offsets, interval, ticks);
        Thread.sleep(spread.plus(settle));            // every loop has ticked once and is idle
        double perLoop = (heapAfterGc() - baseline) / (double) loops;
        if (histogram) System.out.println(histogram(25));
        Thread.sleep(settle);                          // the full GCs above delay ticks: skip them
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var collectors = ManagementFactory.getGarbageCollectorMXBeans();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long allocated = threads.getTotalThreadAllocatedBytes();
        long gcCount = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        long gcMillis = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        ticks.recording(true);
        Thread.sleep(record);
        ticks.recording(false);
        allocated = threads.getTotalThreadAllocatedBytes() - allocated;
        cpu = os.getProcessCpuTime() - cpu;
        gcCount = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum() - gcCount;
        gcMillis = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() - gcMillis;
        fleet.stop();

        long[] late = ticks.sorted();
        if (late.length == 0) return new Result(kind, loops, perLoop, 0, -1, -1, -1, -1, Double.NaN, Double.NaN, gcCount, gcMillis);
        return new Result(kind, loops, perLoop, late.length, WindowCheck.percentile(late, 0.5),
                WindowCheck.percentile(late, 0.99), WindowCheck.percentile(late, 0.999), late[late.length - 1],
                allocated / (double) late.length, cpu / (double) late.length, gcCount, gcMillis);
    }

    /** The first {@code lines} lines of the live-object class histogram ({@code jcmd GC.class_histogram}). */
    static String histogram(int lines) throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        String all = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return all.lines().limit(lines).collect(Collectors.joining("\n"));
    }

    /** Used heap after full collections: what is live. */
    static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv);
        if (args.string("list", "false").equals("true")) {
            KINDS.forEach(System.out::println);
            return;
        }
        String kind = args.string("kind", "bare");
        int loops = args.integer("loops", 100_000);
        var result = measure(kind, loops,
                Duration.ofMillis(args.number("interval-ms", 1_000)),
                Duration.ofMillis(args.number("spread-ms", 1_000)),
                Duration.ofMillis(args.number("settle-ms", 1_000)),
                Duration.ofMillis(args.number("record-ms", 10_000)),
                args.string("histogram", "false").equals("true"));
        System.out.printf(Locale.ROOT, "Idle loops: %s, %d cores, max heap %d MiB%n", kind,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(Result.header());
        System.out.println(result.row());
    }

    /** The anchor: one virtual thread per loop, sleeping between ticks. */
    static final class BareFleet implements Fleet {
        private volatile boolean running = true;
        private Thread[] threads = new Thread[0];

        @Override
        public void start(int loops, Duration[] offsets, Duration interval, Ticks ticks) {
            threads = new Thread[loops];
            for (int i = 0; i < loops; i++) {
                int loop = i;
                threads[i] = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(offsets[loop]);
                        while (running) {
                            ticks.begin(loop);
                            ticks.end(loop);
                            Thread.sleep(interval);
                        }
                    } catch (InterruptedException e) {
                        // stopped
                    }
                });
            }
        }

        @Override
        public void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) t.interrupt();
            for (Thread t : threads) t.join();
        }
    }

    /**
     * Core: one bot of one emit per loop, waiting its interval after each iteration ({@code AFTER},
     * the default). The loops do not start themselves: a starter emit starts each at its offset,
     * so no loop ever waits anywhere but in its interval, as an idle bot's emits do.
     */
    static final class CoreFleet implements Fleet {
        private final Machina bot = Machina.builder().build();
        private Thread runner = new Thread(() -> {});
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void start(int loops, Duration[] offsets, Duration interval, Ticks ticks) {
            Integer[] byOffset = new Integer[loops];
            for (int i = 0; i < loops; i++) {
                int loop = i;
                byOffset[i] = i;
                bot.emit("loop-" + i, EmitOptions.every(interval).autostart(false), event -> {
                    ticks.begin(loop);
                    ticks.end(loop);
                });
            }
            Arrays.sort(byOffset, Comparator.comparing(i -> offsets[i]));
            bot.emit("starter", EmitOptions.defaults().count(1), event -> {
                long origin = System.nanoTime();
                int next = 0;
                while (next < loops) {
                    long due = offsets[byOffset[next]].toNanos() - (System.nanoTime() - origin);
                    if (due > 0) event.sleep(Duration.ofNanos(due));
                    long now = System.nanoTime() - origin;
                    while (next < loops && offsets[byOffset[next]].toNanos() <= now) {
                        event.start("loop-" + byOffset[next++]);
                    }
                }
            });
            runner = Thread.ofPlatform().name("bot-run").start(() -> {
                try {
                    bot.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        @Override
        public void stop() throws Exception {
            bot.stop();
            runner.join();
            bot.close();
            if (failure.get() != null) throw new IllegalStateException("the bot failed", failure.get());
        }
    }
}
