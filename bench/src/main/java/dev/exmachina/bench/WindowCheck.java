package dev.exmachina.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * P4: saturates a limiter of N starts per T with many virtual threads on the real clock, records
 * when each caller asked and when it was let go, and checks the sliding-window bound exactly: the
 * most starts in any half-open interval [x, x+T), by a two-pointer pass over the sorted instants.
 * A start at t and one at t+T are both allowed (the interval is half-open), as in the design's
 * example where the 4th start of 3 per 100 ms comes at exactly 100 ms.
 *
 * <p>Instants here are read by the caller after the limiter let it go, so even an exact limiter can
 * show N+1 from preemption between the decision and the read. None of the limiters exposes the
 * instants it decided; core's are checked on its virtual clock, where nothing runs between the
 * decision and the read, so the instant read is the instant decided. {@link HandlerWindowCheck}
 * checks core on the real clock from both sides: the instants its group counted, and the handler's
 * first line, where an API would count the request.
 *
 * <pre>java --enable-preview -cp benchmarks.jar dev.exmachina.bench.WindowCheck \
 *     --limiters=all --n=10000 --window-ms=100 --starts=1000000 --threads=256</pre>
 */
public final class WindowCheck {
    private WindowCheck() {}

    /** What one limiter did under saturation. Lateness in nanoseconds. */
    public record Result(String limiter, int n, Duration window, int starts, int threads, long wallNanos,
                         int maxInWindow, long violations, long early, double utilisation,
                         long lateP50, long lateP99, long lateMax) {
        /** The sliding-window bound held for every start. */
        public boolean exact() {
            return maxInWindow <= n;
        }

        public String row() {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f %% | %.1f | %.1f | %.1f | %.1f s |",
                    limiter, starts, maxInWindow, violations, 100 * utilisation,
                    lateP50 / 1e3, lateP99 / 1e3, lateMax / 1e3, wallNanos / 1e9);
        }

        public static String header() {
            return "| limiter | starts | max in any T | starts over N | utilisation of N/T"
                    + " | late p50 µs | late p99 µs | late max µs | wall |\n"
                    + "|---|---|---|---|---|---|---|---|---|";
        }
    }

    /** Saturates {@code gate} with {@code threads} virtual threads until {@code starts} started. */
    public static Result run(String name, Gate gate, int n, Duration window, int starts, int threads)
            throws Exception {
        long[] requested = new long[starts];
        long[] started = new long[starts];
        var ticket = new AtomicInteger();
        long t0 = System.nanoTime();
        gate.runThreads(threads, i -> {
            while (true) {
                int k = ticket.getAndIncrement();
                if (k >= starts) return;
                requested[k] = gate.now();
                gate.pass(instant -> started[k] = instant);
            }
        });
        long wall = System.nanoTime() - t0;
        return analyse(name, n, window, threads, wall, requested, started);
    }

    /**
     * The exact check. Lateness of the i-th start (by start instant) is how long after it was due
     * it started: due at the later of its request and, once N have started, the (i-N)-th start + T
     * (the earliest instant a sliding window lets it go). A negative lateness is an early start,
     * i.e. a violation of the bound; lateness percentiles count those as 0.
     */
    static Result analyse(String name, int n, Duration window, int threads, long wallNanos,
                          long[] requested, long[] started) {
        int m = started.length;
        if (m == 0) throw new IllegalArgumentException("no starts recorded");
        long t = window.toNanos();
        long base = Long.MAX_VALUE;
        for (long s : started) base = Math.min(base, s);
        // Sort by start, carrying the index along: offset in the high bits, index in the low 24.
        if (m >= 1 << 24) throw new IllegalArgumentException("at most 2^24 starts: " + m);
        long[] packed = new long[m];
        for (int k = 0; k < m; k++) {
            long offset = started[k] - base;
            if (offset >= 1L << 39) throw new IllegalArgumentException("run longer than 9 minutes");
            packed[k] = offset << 24 | k;
        }
        Arrays.sort(packed);
        long[] s = new long[m];
        long[] r = new long[m];
        for (int i = 0; i < m; i++) {
            int k = (int) (packed[i] & ((1 << 24) - 1));
            s[i] = started[k];
            r[i] = requested[k];
        }

        int max = 0;
        long violations = 0;
        for (int i = 0, j = 0; i < m; i++) {
            while (s[i] - s[j] >= t) j++;
            int inWindow = i - j + 1; // starts in (s[i] - T, s[i]]
            max = Math.max(max, inWindow);
            if (inWindow > n) violations++;
        }

        // Over whole windows from the first start, so a last partial window does not count.
        long windows = (s[m - 1] - s[0]) / t;
        double utilisation = Double.NaN;
        if (windows > 0) {
            long end = s[0] + windows * t;
            int count = 0;
            while (count < m && s[count] < end) count++;
            utilisation = count / ((double) windows * n);
        }

        long[] late = new long[m];
        long early = 0;
        for (int i = 0; i < m; i++) {
            long due = i >= n ? Math.max(r[i], s[i - n] + t) : r[i];
            long l = s[i] - due;
            if (l < 0) early++;
            late[i] = Math.max(0, l);
        }
        Arrays.sort(late);
        return new Result(name, n, window, m, threads, wallNanos, max, violations, early, utilisation,
                percentile(late, 0.50), percentile(late, 0.99), late[m - 1]);
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Every limiter the check knows, by name. */
    static List<AnchorGates.Kind> kinds() {
        var kinds = new ArrayList<>(CoreGates.ALL);
        kinds.addAll(AnchorGates.ALL);
        return kinds;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv);
        int n = args.integer("n", 10_000);
        var window = Duration.ofMillis(args.number("window-ms", 100));
        int starts = args.integer("starts", 1_000_000);
        int threads = args.integer("threads", 256);
        String wanted = args.string("limiters", "all");
        System.out.printf(Locale.ROOT, "Window check: %d per %d ms, %d starts, %d virtual threads, %d cores%n",
                n, window.toMillis(), starts, threads, Runtime.getRuntime().availableProcessors());
        System.out.println(Result.header());
        for (var kind : kinds()) {
            if (!wanted.equals("all") && !List.of(wanted.split(",")).contains(kind.name())) continue;
            var result = run(kind.name(), kind.create(n, window), n, window, starts, threads);
            System.out.println(result.row());
        }
    }
}
