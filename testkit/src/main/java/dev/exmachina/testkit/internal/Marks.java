package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotEvent;
import dev.exmachina.testkit.Timeline.Mark;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a bot's events into the marks of its timeline: an iteration or an attempt is one bar from
 * its start to its end, a wait one bar from its start to the event that reports it, a retry one
 * bar over its coming wait. Not thread-safe: {@code Timeline} calls it under its lock.
 *
 * <p>Invariants: at most {@code kept} finished marks are held, the oldest dropped first and
 * counted; an iteration or attempt that started and has not ended is held open by its lane and
 * key, and drawn as {@code running} up to the snapshot's instant.
 */
public final class Marks {

    private final int kept;
    private final ArrayDeque<Mark> done = new ArrayDeque<>();
    /** Starts of iterations and attempts not ended yet, by lane and key; several for concurrent attempts. */
    private final Map<String, ArrayDeque<Long>> open = new HashMap<>();
    private long dropped;

    /** @param kept how many finished marks to hold at most */
    public Marks(int kept) {
        this.kept = kept;
    }

    /** Records {@code event}, which happened at {@code now}. */
    public void add(long now, BotEvent event) {
        switch (event) {
            case BotEvent.IterationStarted e -> start("emit " + e.emit(), "#" + e.epoch(), now);
            case BotEvent.IterationEnded e -> {
                long start = end("emit " + e.emit(), "#" + e.epoch(), now - nanos(e.duration()));
                Throwable f = e.failure();
                put(new Mark("emit " + e.emit(), f == null ? "iteration" : "iteration-failed", start, now,
                        "iteration #" + e.epoch() + (f == null ? "" : " failed: " + f)));
            }
            case BotEvent.AttemptStarted e -> start("execute " + e.execute(), "attempt " + e.attempt(), now);
            case BotEvent.AttemptEnded e -> {
                long start = end("execute " + e.execute(), "attempt " + e.attempt(), now - nanos(e.duration()));
                Throwable f = e.failure();
                String kind = f instanceof TimeoutException ? "timeout" : "attempt-" + e.outcome().name().toLowerCase(Locale.ROOT);
                put(new Mark("execute " + e.execute(), kind, start, now, "attempt " + e.attempt() + ": "
                        + e.outcome() + (f == null ? "" : " (" + f + ")")));
            }
            case BotEvent.GroupWaited e -> put(new Mark("group " + e.group(),
                    e.waitedFor() == BotEvent.WaitedFor.SLOT ? "wait-slot" : "wait-window", now - nanos(e.waited()), now,
                    e.execute() + " waited " + e.waited() + " for " + (e.waitedFor() == BotEvent.WaitedFor.SLOT ? "a slot" : "a window start")));
            case BotEvent.RetryScheduled e -> put(new Mark("execute " + e.execute(), "retry-wait", now, now + nanos(e.waitTime()),
                    "retry " + e.retry() + " after " + e.waitTime() + " (cause: " + e.cause() + ")"));
            case BotEvent.EmitFailed e -> {
                put(new Mark("emit " + e.emit(), "emit-failed", now, now, "failed: " + e.failure() + "; " + e.decision()));
                Duration wait = e.restartWait();
                if (wait != null) {
                    put(new Mark("emit " + e.emit(), "restart-wait", now, now + nanos(wait), "restart after " + wait));
                }
            }
            case BotEvent.BotStarted e -> put(new Mark("bot " + e.bot(), "bot-started", now, now, "bot started"));
            case BotEvent.BotStopped e -> put(new Mark("bot " + e.bot(), "bot-stopped", now, now,
                    "bot stopped" + (e.failure() == null ? "" : ": " + e.failure())));
            // every other kind (a hook that failed, a breaker's state, …): a mark on the lane it names
            default -> put(new Mark(laneOf(event), kindOf(event), now, now, event.toString()));
        }
    }

    /** The marks held, then those still open drawn up to {@code now}. */
    public List<Mark> snapshot(long now) {
        List<Mark> all = new ArrayList<>(done);
        open.forEach((key, starts) -> {
            int cut = key.indexOf('\n');
            for (long start : starts) {
                all.add(new Mark(key.substring(0, cut), "running", start, Math.max(start, now), key.substring(cut + 1) + " still running"));
            }
        });
        return all;
    }

    /** How many marks were dropped to keep the latest. */
    public long dropped() {
        return dropped;
    }

    private void put(Mark mark) {
        done.addLast(mark);
        if (done.size() > kept) {
            done.pollFirst();
            dropped++;
        }
    }

    private void start(String lane, String key, long now) {
        open.computeIfAbsent(lane + "\n" + key, k -> new ArrayDeque<>()).addLast(now);
    }

    /** The start of the oldest open {@code key} on {@code lane}, taken out; {@code otherwise} if none. */
    private long end(String lane, String key, long otherwise) {
        ArrayDeque<Long> starts = open.get(lane + "\n" + key);
        if (starts == null || starts.isEmpty()) {
            return otherwise;
        }
        long start = starts.pollFirst();
        if (starts.isEmpty()) {
            open.remove(lane + "\n" + key);
        }
        return Math.min(start, otherwise);
    }

    /** The lane an event of another kind names: its group, execute or emit, else its bot. */
    private static String laneOf(BotEvent event) {
        for (String part : List.of("group", "execute", "emit")) {
            String name = component(event, part);
            if (name != null) {
                return part + " " + name;
            }
        }
        return "bot " + event.bot();
    }

    private static @Nullable String component(BotEvent event, String name) {
        RecordComponent[] components = event.getClass().getRecordComponents();
        if (components == null) {
            return null;
        }
        for (RecordComponent c : components) {
            if (c.getName().equals(name) && c.getType() == String.class) {
                try {
                    return (String) c.getAccessor().invoke(event);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** {@code BreakerOpened} → {@code breaker-opened}. */
    static String kindOf(BotEvent event) {
        return event.getClass().getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }
}
