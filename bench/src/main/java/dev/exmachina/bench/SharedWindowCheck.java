package dev.exmachina.bench;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupGate;
import dev.exmachina.redis.RedisGroups;
import io.github.bucket4j.BlockingBucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.Tuple;

/**
 * P7, the second measure: a limit of N starts per window W shared on Redis and saturated by several
 * processes at once (4 by default), for each limiter: ours ({@link RedisGroups}, a group of N per W
 * anchored at starts, and the same anchored at completion), Bucket4j's Redis backend over Jedis
 * (capacity N, greedy refill of N per W, {@code asBlocking().consume(1)}) and Redisson's
 * {@code RRateLimiter} ({@code OVERALL}, N per W, {@code acquire()}).
 *
 * <p>The program starts its own redis-server (see {@link LocalRedis}); per limiter, it starts
 * {@code --processes} child JVMs (this java, this class path, {@code --enable-preview}), each with
 * {@code --threads} virtual threads asking the limiter again as soon as it let them go, against the
 * same Redis keys. The children get ready (connected, limiter built), then all begin at one instant
 * the parent gives them and stop asking {@code --seconds} later. Each start is stamped with
 * {@link System#nanoTime()} at the first line after the limiter let the thread go (ours: the
 * handler's first line, where an API would count the request). On Linux {@code nanoTime} is
 * {@code CLOCK_MONOTONIC}, one clock for the whole host, so the instants of the JVMs compare: the
 * parent merges them and counts exactly, as {@link WindowCheck} does, the most starts in any half-open
 * interval [x, x+W).
 *
 * <p>A second count is on the limiter's own record, which the parent samples every W/4 while the
 * children run (and once after): ours, anchored at starts, keeps its window as a sorted set
 * ({@code <prefix>:group:<name>:starts}: members lease ids, scores start instants in microseconds of
 * Redis {@code TIME}) holding each start for at least W, so sampling more often than W sees every one;
 * Redisson keeps its permits the same way ({@code {<name>}:permits}), scored in milliseconds of the
 * calling process's {@code System.currentTimeMillis()}. Anchored at completion, ours keeps no start
 * instants: the places held by attempts not ended ({@code …:places}, scored by lease expiry) and the
 * instants ended attempts' places come free ({@code …:frees}, taken by the next decision, often within
 * milliseconds); there the first line is the count. Bucket4j keeps only the bucket's state.
 *
 * <p>Use of the limit: the starts between the warm-up's end ({@code --warmup-ms} after the common
 * begin) and the stop, over N per W for that span.
 *
 * <p>Nothing is left behind: the children exit when done (or when this JVM ends, which they watch),
 * are killed if they do not, and the server and the temporary files go in {@code finally} blocks and
 * in a shutdown hook (only a {@code kill -9} of this JVM leaves the server running).
 *
 * <pre>java --enable-preview -cp benchmarks.jar dev.exmachina.bench.SharedWindowCheck \
 *     --n=50 --window-ms=1000 --seconds=25 --processes=4 --threads=8 [--limiters=all] [--out=dir]</pre>
 */
public final class SharedWindowCheck {
    private SharedWindowCheck() {}

    /** The limiters under the check. */
    public enum Kind {
        EXMACHINA_START("exmachina-start", "RedisGroups, GroupLimits.unlimited().perWindow(N, W), anchored at starts"),
        EXMACHINA_COMPLETION("exmachina-completion", "the same .anchoredAtCompletion()"),
        BUCKET4J_GREEDY("bucket4j-greedy", "Bucket4j over Jedis (compare-and-swap), capacity N, refillGreedy(N, W),"
                + " asBlocking().consume(1)"),
        REDISSON_OVERALL("redisson-overall", "Redisson RRateLimiter, RateType.OVERALL, N per W, acquire()");

        final String label;
        final String note;

        Kind(String label, String note) {
            this.label = label;
            this.note = note;
        }

        static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) return k;
            }
            throw new IllegalArgumentException("no limiter '" + label + "'; known: "
                    + Arrays.stream(values()).map(k -> k.label).collect(Collectors.joining(", ")));
        }

        public String label() {
            return label;
        }
    }

    /** What to run. {@code out}, if not null, receives each limiter's instants. */
    public record Options(int n, Duration window, Duration run, Duration warmup, int processes, int threads,
                          List<Kind> kinds, Path out) {}

    /**
     * What one limiter did. {@code recordMax} and {@code recorded} are -1 where the limiter keeps no
     * record per start. {@code use} is of N per W between the warm-up's end and the stop.
     */
    public record Result(Kind kind, int processes, int starts, int maxInWindow, int maxAfterWarmup, long overN,
                         int recordMax, int recorded, Late late, double use, String load) {
        public String row() {
            return String.format(Locale.ROOT, "| %s | %d | %d | **%d** | %d | %d | %s | %s | %s | %.1f %% | %s |",
                    kind.label, processes, starts, maxInWindow, maxAfterWarmup, overN,
                    recordMax < 0 ? "—" : Integer.toString(recordMax), recorded < 0 ? "—" : Integer.toString(recorded),
                    late == null ? "—" : late.toString(), 100 * use, load);
        }

        public static String header() {
            return "| limiter | processes | starts | most in any W, first line after the limiter | … after warm-up"
                    + " | starts over N | most in any W, limiter's record | starts in the record"
                    + " | first line after the reserved start, p50 / p99 / max ms | use of N/W after warm-up"
                    + " | load avg after |\n|---|---|---|---|---|---|---|---|---|---|---|";
        }
    }

    /** How long after their reserved start {@code count} starts after the warm-up began (ours only). Nanoseconds. */
    public record Late(int count, long p50, long p99, long max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", p50 / 1e6, p99 / 1e6, max / 1e6);
        }
    }

    /** The most of {@code sorted} instants in any half-open interval [x, x+window). */
    static int densest(long[] sorted, long window) {
        int best = 0;
        for (int i = 0, j = 0; i < sorted.length; i++) {
            while (sorted[i] - sorted[j] >= window) j++;
            best = Math.max(best, i - j + 1);
        }
        return best;
    }

    /** How many of {@code sorted} instants close an interval (t - window, t] holding more than {@code n}. */
    static long overN(long[] sorted, long window, int n) {
        long over = 0;
        for (int i = 0, j = 0; i < sorted.length; i++) {
            while (sorted[i] - sorted[j] >= window) j++;
            if (i - j + 1 > n) over++;
        }
        return over;
    }

    // ---------------------------------------------------------------- the parent

    /** Runs every limiter of {@code options} on a redis-server of its own. */
    public static List<Result> run(Options options, Consumer<Result> each) throws Exception {
        var results = new ArrayList<Result>();
        try (LocalRedis redis = LocalRedis.start()) {
            for (Kind kind : options.kinds()) {
                Result result = runOne(kind, redis, options);
                results.add(result);
                each.accept(result);
            }
        }
        return results;
    }

    private static Result runOne(Kind kind, LocalRedis redis, Options o) throws Exception {
        String prefix = "p7-" + kind.label;
        Path work = Files.createTempDirectory("exmachina-shared-window");
        var children = new CopyOnWriteArrayList<Process>(); // read by the shutdown hook too
        Thread cleanup = new Thread(() -> {
            children.forEach(Process::destroyForcibly);
            delete(work);
        }, "shared-window-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (RedisClient probe = RedisClient.create("127.0.0.1", redis.port())) {
            probe.flushAll();
            for (int i = 0; i < o.processes(); i++) {
                children.add(startChild(kind, i, redis.port(), prefix, o, work));
            }
            awaitReady(children, work, o.processes());

            Sampler sampler = switch (kind) {
                case EXMACHINA_START -> new Sampler(probe, prefix + ":group:api:starts", 1_000, true, o.window());
                case REDISSON_OVERALL -> new Sampler(probe, "{" + prefix + ":limiter}:permits", 1_000_000, false, o.window());
                case EXMACHINA_COMPLETION, BUCKET4J_GREEDY -> null;
            };
            long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long end = begin + o.run().toNanos();
            String go = "go " + begin + " " + end + "\n";
            for (Process p : children) {
                OutputStream in = p.getOutputStream();
                in.write(go.getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
            if (sampler != null) sampler.start();
            try {
                for (int i = 0; i < children.size(); i++) {
                    Process p = children.get(i);
                    if (!p.waitFor(o.run().toSeconds() + 120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(kind.label + ": child " + i + " did not end\n" + log(work, i));
                    }
                    if (p.exitValue() != 0) {
                        throw new IllegalStateException(kind.label + ": child " + i + " failed (exit " + p.exitValue()
                                + ")\n" + log(work, i));
                    }
                }
            } finally {
                if (sampler != null) sampler.stop();
            }

            var all = new ArrayList<long[][]>(); // per child: {instant, late} per start
            for (int i = 0; i < children.size(); i++) {
                all.add(Files.readAllLines(work.resolve("starts-" + i + ".txt")).stream()
                        .map(line -> Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray())
                        .toArray(long[][]::new));
            }
            long[] starts = all.stream().flatMap(Arrays::stream).mapToLong(p -> p[0]).sorted().toArray();
            if (starts.length == 0) throw new IllegalStateException(kind.label + ": no starts");
            long w = o.window().toNanos();
            long steady = begin + o.warmup().toNanos();
            long[] late = all.stream().flatMap(Arrays::stream).filter(p -> p[0] >= steady && p[1] >= 0)
                    .mapToLong(p -> p[1]).sorted().toArray();
            long[] afterWarmup = Arrays.stream(starts).filter(s -> s >= steady).toArray();
            long inSpan = Arrays.stream(afterWarmup).filter(s -> s < end).count();
            double use = inSpan / ((double) o.n() * (end - steady) / w);
            int recordMax = -1;
            int recorded = -1;
            if (sampler != null) {
                long[] record = sampler.instants();
                recordMax = densest(record, sampler.windowUnits);
                recorded = record.length;
                if (o.out() != null) sampler.write(o.out().resolve(kind.label + ".record.txt"));
            }
            if (o.out() != null) {
                Files.createDirectories(o.out());
                var lines = new ArrayList<String>();
                lines.add("# process, first line after the limiter let the thread go (ns after the common begin),"
                        + " ns after the start reserved for it (ours; -1: started at once)");
                for (int i = 0; i < all.size(); i++) {
                    for (long[] p : all.get(i)) lines.add(i + " " + (p[0] - begin) + " " + p[1]);
                }
                Files.write(o.out().resolve(kind.label + ".starts.txt"), lines);
            }
            return new Result(kind, o.processes(), starts.length, densest(starts, w), densest(afterWarmup, w),
                    overN(starts, w, o.n()), recordMax, recorded, late.length == 0 ? null : new Late(late.length,
                    WindowCheck.percentile(late, 0.5), WindowCheck.percentile(late, 0.99), late[late.length - 1]),
                    use, loadAverage());
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
                p.waitFor();
            }
            delete(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // it runs anyway
            }
        }
    }

    private static Process startChild(Kind kind, int index, int port, String prefix, Options o, Path work)
            throws IOException {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(List.of("--enable-preview", "-Xmx256m", "-Dslf4j.internal.verbosity=ERROR",
                "-cp", System.getProperty("java.class.path"), SharedWindowCheck.class.getName(),
                "--role=child", "--limiter=" + kind.label, "--port=" + port, "--prefix=" + prefix,
                "--n=" + o.n(), "--window-ms=" + o.window().toMillis(), "--threads=" + o.threads(),
                "--ready=" + work.resolve("ready-" + index), "--out=" + work.resolve("starts-" + index + ".txt")));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("child-" + index + ".log").toFile()).start();
    }

    private static void awaitReady(List<Process> children, Path work, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            int ready = 0;
            for (int i = 0; i < count; i++) {
                if (!children.get(i).isAlive()) {
                    throw new IllegalStateException("child " + i + " ended before it was ready\n" + log(work, i));
                }
                if (Files.exists(work.resolve("ready-" + i))) ready++;
            }
            if (ready == count) return;
            if (System.nanoTime() > deadline) throw new IllegalStateException(ready + " of " + count + " children ready");
            Thread.sleep(20);
        }
    }

    /**
     * Samples a sorted set of the limiter's record from a platform thread (not starved by anything
     * of this JVM), keeping each member's lowest score: a member's instant as first recorded.
     */
    static final class Sampler {
        final String key;
        final long unitNanos;
        final long windowUnits;
        private final boolean textMembers;
        private final RedisClient probe;
        private final long periodMillis;
        private final Map<String, Long> scores = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private Thread thread;

        Sampler(RedisClient probe, String key, long unitNanos, boolean textMembers, Duration window) {
            this.probe = probe;
            this.textMembers = textMembers;
            this.key = key;
            this.unitNanos = unitNanos;
            this.windowUnits = window.toNanos() / unitNanos;
            this.periodMillis = Math.max(1, window.toMillis() / 4);
        }

        void start() {
            thread = Thread.ofPlatform().name("shared-window-sampler").start(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sample() {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            for (Tuple t : probe.zrangeWithScores(k, 0, -1)) {
                String member = textMembers ? new String(t.getBinaryElement(), StandardCharsets.UTF_8)
                        : HexFormat.of().formatHex(t.getBinaryElement());
                scores.merge(member, (long) t.getScore(), Math::min);
            }
        }

        /** Stops sampling, after one last sample (the children have ended: nothing is added any more). */
        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            sample();
        }

        long[] instants() {
            return scores.values().stream().mapToLong(Long::longValue).sorted().toArray();
        }

        /** The record, by instant: "score member", the score in the record's own unit. */
        void write(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            var lines = new ArrayList<String>();
            lines.add("# " + key + ": instant (" + (unitNanos == 1_000 ? "µs of Redis TIME" : "ms of the caller's wall clock")
                    + "), member");
            scores.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> lines.add(e.getValue() + " " + e.getKey()));
            Files.write(file, lines);
        }
    }

    private static String log(Path work, int index) {
        try {
            List<String> lines = Files.readAllLines(work.resolve("child-" + index + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // gone already, or a temporary directory the OS cleans
        }
    }

    // ---------------------------------------------------------------- a child

    /** One limiter in a child: {@link #pass()} returns once it let this thread go. */
    interface Limiter extends AutoCloseable {
        Pass pass() throws Exception;
    }

    /**
     * A start: the instant of the first line after the limiter let the thread go, and for ours how
     * long after the start reserved for it (Redis's instant on this process's clock, which core slept
     * until), -1 if it started at once or the limiter does not tell.
     */
    record Pass(long at, long late) {}

    /**
     * A pass-through group backend remembering, per thread, the start the backend reserved for that
     * thread's attempt ({@code START_AT}: Redis's reserved instant converted to this process's clock,
     * which core sleeps until), so the handler can tell how late it began. Changes no decision.
     */
    static final class ReservedStarts implements GroupBackend {
        private static final ThreadLocal<long[]> RESERVED = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});
        private final GroupBackend backend;

        ReservedStarts(GroupBackend backend) {
            this.backend = backend;
        }

        static void reset() {
            RESERVED.get()[0] = Long.MIN_VALUE;
        }

        /** The start last reserved for this thread, {@code Long.MIN_VALUE} if none since {@link #reset()}. */
        static long last() {
            return RESERVED.get()[0];
        }

        private static <D extends Decision> D note(D d) {
            if (d instanceof Decision.StartAt at) RESERVED.get()[0] = at.atNanos();
            return d;
        }

        @Override
        public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock) {
            return backend.register(name, limits, clock);
        }

        @Override
        public GroupGate gate(List<ConcurrentGroup> groups, BotClock clock) {
            GroupGate gate = backend.gate(groups, clock);
            return new GroupGate() {
                @Override public Decision tryEnter() { return note(gate.tryEnter()); }
                @Override public Ticket ticket(Wakeup wakeup) { return gate.ticket(wakeup); }
                @Override public Decision enter(Ticket ticket) { return note(gate.enter(ticket)); }
                @Override public void cancel(Ticket ticket) { gate.cancel(ticket); }
                @Override public void started(Decision.StartAt granted) { gate.started(granted); }
                @Override public Decision.Granted start(Decision.StartAt granted) { return note(gate.start(granted)); }
                @Override public void giveBack(Decision.Granted granted) { gate.giveBack(granted); }
                @Override public void release(Decision.Granted granted) { gate.release(granted); }
            };
        }
    }

    static Limiter open(Kind kind, int port, String prefix, int n, Duration window) {
        return switch (kind) {
            case EXMACHINA_START, EXMACHINA_COMPLETION -> {
                RedisClient jedis = RedisClient.create("127.0.0.1", port);
                RedisGroups groups = RedisGroups.builder(jedis).prefix(prefix).build();
                Machina bot = Machina.builder().groupBackend(new ReservedStarts(groups)).build();
                GroupLimits limits = GroupLimits.unlimited().perWindow(n, window);
                bot.concurrentGroup("api", kind == Kind.EXMACHINA_COMPLETION ? limits.anchoredAtCompletion() : limits);
                Execute<Integer, Pass> call = bot.execute("call", ExecuteOptions.groups("api"), x -> {
                    long at = System.nanoTime();
                    long reserved = ReservedStarts.last();
                    return new Pass(at, reserved == Long.MIN_VALUE ? -1 : Math.max(0, at - reserved));
                });
                yield new Limiter() {
                    @Override public Pass pass() throws Exception {
                        ReservedStarts.reset();
                        return call.call(0);
                    }
                    @Override public void close() {
                        bot.close();
                        groups.close();
                        jedis.close();
                    }
                };
            }
            case BUCKET4J_GREEDY -> {
                RedisClient jedis = RedisClient.create("127.0.0.1", port);
                var configuration = BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(n).refillGreedy(n, window))
                        .build();
                BlockingBucket bucket = Bucket4jJedis.casBasedBuilder(jedis).build().builder()
                        .build((prefix + ":bucket").getBytes(StandardCharsets.UTF_8), () -> configuration)
                        .asBlocking();
                yield new Limiter() {
                    @Override public Pass pass() throws Exception {
                        bucket.consume(1);
                        return new Pass(System.nanoTime(), -1);
                    }
                    @Override public void close() {
                        jedis.close();
                    }
                };
            }
            case REDISSON_OVERALL -> {
                Config config = new Config();
                config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionMinimumIdleSize(1)
                        .setConnectionPoolSize(16);
                RedissonClient redisson = Redisson.create(config);
                RRateLimiter limiter = redisson.getRateLimiter(prefix + ":limiter");
                limiter.trySetRate(RateType.OVERALL, n, window);
                yield new Limiter() {
                    @Override public Pass pass() {
                        limiter.acquire();
                        return new Pass(System.nanoTime(), -1);
                    }
                    @Override public void close() {
                        redisson.shutdown();
                    }
                };
            }
        };
    }

    private static void child(Args args) throws Exception {
        // This JVM's parent ends (done, killed, Ctrl-C): end too, whatever we are waiting for.
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        Kind kind = Kind.of(args.string("limiter", ""));
        int threads = args.integer("threads", 8);
        try (Limiter limiter = open(kind, args.integer("port", 0), args.string("prefix", "p7"), args.integer("n", 50),
                Duration.ofMillis(args.number("window-ms", 1000)))) {
            Files.writeString(Path.of(args.string("ready", "")), "ready");
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if (go == null || !go.startsWith("go ")) throw new IllegalStateException("expected 'go <begin> <end>', got " + go);
            String[] f = go.split(" ");
            long begin = Long.parseLong(f[1]);
            long end = Long.parseLong(f[2]);
            for (long wait; (wait = begin - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
            @SuppressWarnings("unchecked")
            List<Pass>[] starts = new List[threads];
            VirtualThreads.runAll(threads, i -> {
                var mine = new ArrayList<Pass>();
                while (System.nanoTime() < end) {
                    mine.add(limiter.pass());
                }
                starts[i] = mine;
            });
            var lines = new ArrayList<String>();
            for (List<Pass> mine : starts) {
                for (Pass p : mine) lines.add(p.at() + " " + p.late());
            }
            Files.write(Path.of(args.string("out", "")), lines);
        }
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv);
        if (args.string("role", "parent").equals("child")) {
            try {
                child(args);
            } catch (Throwable t) {
                t.printStackTrace();
                System.exit(1);
            }
            System.exit(0); // Redisson's and Jedis' threads need not be waited for
        }
        String wanted = args.string("limiters", "all");
        List<Kind> kinds = wanted.equals("all") ? List.of(Kind.values())
                : Arrays.stream(wanted.split(",")).map(Kind::of).toList();
        String out = args.string("out", "");
        var options = new Options(args.integer("n", 50), Duration.ofMillis(args.number("window-ms", 1000)),
                Duration.ofSeconds(args.number("seconds", 25)), Duration.ofMillis(args.number("warmup-ms", 2000)),
                args.integer("processes", 4), args.integer("threads", 8), kinds, out.isEmpty() ? null : Path.of(out));
        if (!LocalRedis.onPath()) {
            System.out.println("Shared window check: skipped, no redis-server on the PATH");
            return;
        }
        System.out.printf(Locale.ROOT, "Shared window check: %d per %d ms, %d processes x %d virtual threads, %d s per"
                        + " limiter (%d ms warm-up), %d cores, load average before %s%n",
                options.n(), options.window().toMillis(), options.processes(), options.threads(), options.run().toSeconds(),
                options.warmup().toMillis(), Runtime.getRuntime().availableProcessors(), loadAverage());
        for (Kind k : kinds) System.out.println("  " + k.label + ": " + k.note);
        System.out.println(Result.header());
        run(options, result -> System.out.println(result.row()));
    }
}
