package dev.exmachina.redis;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One shared group as this process sees it: its Redis keys and this process's local FIFO of attempts
 * waiting for a slot (only the first of them asks Redis; the others wait behind it, so within one
 * process waiters are served first come, first served).
 *
 * <p>{@link #inFlight()} and {@link #waiting()} count this process's attempts;
 * {@link RedisGroups#fleetInFlight(String)} asks Redis for the whole fleet.
 *
 * <p><b>Concurrency.</b> {@code lock} guards {@code queue}, {@code inFlight} and {@code waiting};
 * it is never held during a Redis call or while waking a thread.
 */
final class RedisGroup implements ConcurrentGroup {

    final String name;
    final GroupLimits limits;
    final String slotsKey;
    /** Anchored at starts: {@code …:starts}, start instants; at completion: {@code …:places}, places held. */
    final String windowKey;
    /** Anchored at completion: {@code …:frees}, when ended attempts' places come free; else unused. */
    final String freesKey;
    final boolean atCompletion;
    /** Set while an attempt of the fleet may wait for a slot or place: releases publish only then. */
    final String waitingKey;
    final String freedChannel;
    final String concurrencyArg;
    final String callsArg;
    final String windowArg;
    final String anchorArg;
    final Decision.Queued queuedHere;
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<RedisGate.Waiter> queue = new ArrayDeque<>();
    int inFlight;
    int waiting;

    RedisGroup(String name, GroupLimits limits, String prefix) {
        this.name = name;
        this.limits = limits;
        String base = prefix + ":group:" + name;
        this.slotsKey = base + ":slots";
        // A window without a time limit counts nothing: no anchor to keep.
        this.atCompletion = limits.hasWindow() && limits.anchor() == GroupLimits.WindowAnchor.COMPLETION;
        this.windowKey = base + (atCompletion ? ":places" : ":starts");
        this.freesKey = base + ":frees";
        this.waitingKey = base + ":waiting";
        this.anchorArg = atCompletion ? "c" : "s";
        this.freedChannel = base + ":freed";
        Integer concurrency = limits.concurrency();
        this.concurrencyArg = concurrency == null ? "0" : concurrency.toString();
        this.callsArg = Integer.toString(limits.callsPerWindow());
        // Microseconds, rounded up: a window is never shortened.
        long nanos = limits.window().toNanos();
        this.windowArg = Long.toString(nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1));
        this.queuedHere = Decision.queued(name);
    }

    boolean hasConcurrency() {
        return limits.concurrency() != null;
    }

    /** Whether a grant holds something in Redis until it ends: a slot, or a place of a completion window. */
    boolean holdsUntilEnd() {
        return hasConcurrency() || atCompletion;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GroupLimits limits() {
        return limits;
    }

    @Override
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int waiting() {
        lock.lock();
        try {
            return waiting + queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the first local waiter, if any, so that it asks Redis again. Any thread, no lock held. */
    void wakeFirst() {
        RedisGate.@Nullable Waiter first;
        lock.lock();
        try {
            first = queue.peek();
        } finally {
            lock.unlock();
        }
        if (first != null) {
            first.wakeup.wake();
        }
    }

    void count(int inFlightDelta, int waitingDelta) {
        lock.lock();
        try {
            inFlight += inFlightDelta;
            waiting += waitingDelta;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "shared concurrent group '" + name + "' " + limits + " (Redis key " + slotsKey + ")";
    }
}
