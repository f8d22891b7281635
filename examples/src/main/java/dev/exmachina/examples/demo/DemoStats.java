package dev.exmachina.examples.demo;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.examples.exchange.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What the demo bot did, counted from the {@link BotEvent}s its bot reports: register it with
 * {@code Machina.builder().listener(stats)}. Thread-safe: events come from every thread of the bot
 * at once (emits, forked executes, the thread in {@code run()}); each method only adds to a
 * concurrent counter or collection, and never blocks.
 *
 * <p>Everything is counted from events, except one figure: which emit (or the startup hook) a
 * call came from. An attempt's event names its execute, not its caller, and a forked execute runs
 * in a thread of its own, so no event can tell a quote asked by {@code prices} from the startup
 * check's: the bot says so itself, with {@link #calls(String, int)}, where it makes its calls.
 *
 * <p>How a call ended, from its attempts' events:
 * <ul>
 *   <li><b>recovered</b>: an attempt ended {@code SUCCESS} with {@code attempt > 1}, i.e. the call
 *       succeeded after one or more retries (its last attempt is its only successful one);
 *   <li><b>ended in failure</b>: a {@code FAILURE} attempt is either followed by one
 *       {@code RetryScheduled} of the same call, or it is the call's last. So the calls that
 *       ended in failure are the failed attempts minus the retries. (Exact with the in-memory
 *       group the demo uses: a retry always follows a failed attempt. A group whose backend cannot
 *       decide would also retry a call that never started an attempt.)
 *   <li><b>rejected</b>: of those, the attempts that failed with a 4xx the retry filter refuses
 *       ({@link TradingBot#retryable(ApiException)}): each ends its call at once;
 *   <li><b>failed for good</b>: the rest of the calls that ended in failure: out of retries, or
 *       failed with something no rule retries.
 * </ul>
 */
public final class DemoStats implements BotListener {

    /** Iterations of one emit (from events), and the calls it made (the bot's bookkeeping). */
    public record EmitCount(long iterations, long calls) {}

    /**
     * What the bot did, at one moment.
     *
     * @param attempts         attempts that ended, any outcome
     * @param calls            calls made (their first attempts)
     * @param p50              the median attempt time (nearest rank), or null with no attempt
     * @param p99              the 99th percentile of attempt times (nearest rank), or null
     * @param retries          retries scheduled
     * @param retriesAfterRetryAfter those that waited the exchange's Retry-After
     * @param retryAfterWaits  the distinct waits those asked for, shortest first
     * @param recovered        calls that succeeded after one or more retries
     * @param rejected         calls that ended on a 4xx, which is never retried
     * @param failed           calls that failed for good: out of retries, or not retryable
     * @param cancelled        attempts cancelled (a stop that could not wait, a cancel)
     * @param longestWait      the longest wait of an attempt in a concurrent group, or null
     * @param startupCalls     calls made by the startup hook
     * @param emits            per emit, in the order the stats were made with
     * @param attemptsByExecute attempts started, per execute, by name
     * @param limitChanges     the changes of a group's limits at run time, in the order they came
     * @param pauses           the pauses of a group (the server said "nothing left" or sent a 429)
     * @param longestPause     the longest of those pauses, or null with none
     */
    public record Snapshot(long attempts, long calls, @Nullable Duration p50, @Nullable Duration p99,
            long retries, long retriesAfterRetryAfter, SortedSet<Duration> retryAfterWaits,
            long recovered, long rejected, long failed, long cancelled,
            BotEvent.@Nullable GroupWaited longestWait, long startupCalls, Map<String, EmitCount> emits,
            Map<String, Long> attemptsByExecute, List<BotEvent.GroupLimitsChanged> limitChanges,
            long pauses, @Nullable Duration longestPause) {}

    /** The source name of the startup hook's calls, for {@link #calls(String, int)}. */
    public static final String STARTUP = "startup";

    private final List<String> emitOrder;
    private final Map<String, LongAdder> iterations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Duration> attemptTimes = new ConcurrentLinkedQueue<>();
    private final LongAdder firstAttempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder retriesAfterRetryAfter = new LongAdder();
    private final ConcurrentSkipListSet<Duration> retryAfterWaits = new ConcurrentSkipListSet<>();
    private final AtomicReference<BotEvent.@Nullable GroupWaited> longestWait = new AtomicReference<>();
    private final Map<String, LongAdder> attemptsByExecute = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<BotEvent.GroupLimitsChanged> limitChanges = new ConcurrentLinkedQueue<>();
    private final LongAdder pauses = new LongAdder();
    private final AtomicReference<@Nullable Duration> longestPause = new AtomicReference<>();

    /** Stats that list these emits first, in this order (an emit that never ran shows 0). */
    public DemoStats(String... emits) {
        this.emitOrder = List.of(emits);
    }

    /**
     * The bot's own bookkeeping: {@code n} calls made by {@code source} (an emit's name, or
     * {@link #STARTUP}). The only figure not from events: see the class comment.
     */
    public void calls(String source, int n) {
        calls.computeIfAbsent(source, s -> new LongAdder()).add(n);
    }

    @Override
    public void onIterationStarted(BotEvent.IterationStarted event) {
        iterations.computeIfAbsent(event.emit(), e -> new LongAdder()).increment();
    }

    @Override
    public void onAttemptStarted(BotEvent.AttemptStarted event) {
        if (event.attempt() == 1) firstAttempts.increment();
        attemptsByExecute.computeIfAbsent(event.execute(), e -> new LongAdder()).increment();
    }

    @Override
    public void onGroupLimitsChanged(BotEvent.GroupLimitsChanged event) {
        limitChanges.add(event);
    }

    @Override
    public void onGroupPaused(BotEvent.GroupPaused event) {
        pauses.increment();
        longestPause.accumulateAndGet(event.pause(), (longest, p) -> longest == null || p.compareTo(longest) > 0 ? p : longest);
    }

    @Override
    public void onAttemptEnded(BotEvent.AttemptEnded event) {
        attemptTimes.add(event.duration());
        switch (event.outcome()) {
            case SUCCESS -> {
                if (event.attempt() > 1) recovered.increment();
            }
            case FAILURE -> {
                failures.increment();
                if (event.failure() instanceof ApiException e && !TradingBot.retryable(e)) rejected.increment();
            }
            case CANCELLED -> cancelled.increment();
        }
    }

    @Override
    public void onRetryScheduled(BotEvent.RetryScheduled event) {
        retries.increment();
        if (event.cause() instanceof ApiException e && e.retryAfter() != null) {
            retriesAfterRetryAfter.increment();
            retryAfterWaits.add(event.waitTime());
        }
    }

    @Override
    public void onGroupWaited(BotEvent.GroupWaited event) {
        // Strictly longer replaces: of equal waits, the first one seen stays.
        longestWait.accumulateAndGet(event, (longest, e) ->
                longest == null || e.waited().compareTo(longest.waited()) > 0 ? e : longest);
    }

    /** What has been counted so far; exact once the bot's {@code run()} has returned. */
    public Snapshot snapshot() {
        var times = new ArrayList<>(attemptTimes);
        Collections.sort(times);
        var emits = new LinkedHashMap<String, EmitCount>();
        for (String emit : emitOrder) emits.put(emit, emitCount(emit));
        new TreeSet<>(iterations.keySet()).forEach(emit -> emits.computeIfAbsent(emit, this::emitCount));
        long retried = retries.sum();
        long rejects = rejected.sum();
        return new Snapshot(times.size(), firstAttempts.sum(), percentile(times, 50), percentile(times, 99),
                retried, retriesAfterRetryAfter.sum(), Collections.unmodifiableSortedSet(new TreeSet<>(retryAfterWaits)),
                recovered.sum(), rejects, failures.sum() - retried - rejects, cancelled.sum(),
                longestWait.get(), sum(calls, STARTUP), Collections.unmodifiableMap(emits),
                attemptsByExecute(), List.copyOf(limitChanges), pauses.sum(), longestPause.get());
    }

    private Map<String, Long> attemptsByExecute() {
        var byName = new java.util.TreeMap<String, Long>();
        attemptsByExecute.forEach((name, n) -> byName.put(name, n.sum()));
        return Collections.unmodifiableMap(byName);
    }

    private EmitCount emitCount(String emit) {
        return new EmitCount(sum(iterations, emit), sum(calls, emit));
    }

    private static long sum(Map<String, LongAdder> counts, String key) {
        LongAdder n = counts.get(key);
        return n == null ? 0 : n.sum();
    }

    /**
     * The {@code p}-th percentile of {@code sorted} by nearest rank: the smallest value that at
     * least {@code p} % of the values do not exceed, always one of the values (no interpolation).
     *
     * @return the value, or null when there is none
     */
    static @Nullable Duration percentile(List<Duration> sorted, int p) {
        if (p < 1 || p > 100) throw new IllegalArgumentException("a percentile is in 1..100, was " + p);
        if (sorted.isEmpty()) return null;
        int rank = (int) ((p * (long) sorted.size() + 99) / 100); // ceil(p/100 * n), from 1
        return sorted.get(rank - 1);
    }
}
