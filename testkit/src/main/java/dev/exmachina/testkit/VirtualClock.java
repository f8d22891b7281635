package dev.exmachina.testkit;

import dev.exmachina.core.BotClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BotClock} whose time moves only when every bot thread is blocked: a bot that runs for
 * simulated days is tested in milliseconds, with the same sequence of events at the same virtual
 * instants every run.
 *
 * <p><b>Concurrency.</b> Thread-safe, but deterministic by construction: exactly one thread runs
 * at a time. Bot threads (those made by {@link #threadFactory}) run only while the test thread is
 * inside a driving call — {@link #advance}, {@link #runCurrent}, {@link #advanceUntilIdle}, a
 * {@link Launched#join()}, or a bot call that waits, such as {@code Machina.run()}. Between those
 * calls the test thread holds the baton and the bot is frozen in time.
 *
 * <p><b>Scheduling.</b> Threads that may run wait in a first-in, first-out ready queue; the head
 * gets the baton when the running thread parks or ends. Whoever wakes a thread (an unpark, an
 * interrupt, a thread start) queues it, under the clock's lock, before giving up the baton, so the
 * order never depends on real timing. When nothing is ready, time jumps to the earliest deadline,
 * and every thread due then is queued in (deadline, sequence) order: waits due at the same instant
 * run first in, first out. With {@link Builder#shuffle(boolean)} the next thread is drawn from the
 * seed instead, so different seeds explore different interleavings, each reproducible.
 *
 * <p><b>Outside the clock.</b> A bot thread that blocks on something the clock cannot see (real
 * I/O, its own lock or latch) keeps the baton and time stands still; after the real-time
 * {@linkplain Builder#watchdog(Duration) watchdog} the driving call fails, naming the thread and
 * where it is. Every thread that waits on the bot must be a bot thread or the test thread.
 */
public final class VirtualClock implements BotClock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition driverTurn = lock.newCondition();
    private final Instant origin;
    private final long seed;
    private final Random random;
    private final @Nullable Random interleaving;
    private final Duration watchdog;
    private final Map<Thread, Participant> threads = new HashMap<>();
    private final ArrayDeque<Participant> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong((Timer t) -> t.deadline).thenComparingLong(t -> t.sequence));
    /** Unparks of threads that are not bot threads, consumed by their next park (LockSupport's permit). */
    private final Set<Thread> outsidePermits = new HashSet<>();
    private long now;
    private long sequence;
    private long threadNumber;
    private long steps;
    /** The baton: the thread allowed to run; null when the test thread is at rest. */
    private @Nullable Participant running;
    private @Nullable Drive drive;

    private VirtualClock(Builder builder) {
        this.origin = builder.start;
        this.seed = builder.seed;
        this.random = new Random(builder.seed);
        this.interleaving = builder.shuffle ? new Random(~builder.seed) : null;
        this.watchdog = builder.watchdog;
    }

    /** A clock at 2026-01-01T00:00:00Z, seed 0, FIFO order, a 30 s watchdog. */
    public static VirtualClock create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The seed of {@link #random()} (and of the interleaving, when shuffled). */
    public long seed() {
        return seed;
    }

    /** The current virtual instant. */
    public Instant now() {
        return instant();
    }

    /** Virtual time since the clock was created. */
    public Duration elapsed() {
        lock.lock();
        try {
            return Duration.ofNanos(now);
        } finally {
            lock.unlock();
        }
    }

    /** Thread hand-overs and time jumps so far: a measure of the work the clock has scheduled. */
    public long steps() {
        lock.lock();
        try {
            return steps;
        } finally {
            lock.unlock();
        }
    }

    // ---- driving -------------------------------------------------------------------------------

    /**
     * Runs everything due strictly before {@code now() + duration}, in order, then sets the time to
     * exactly {@code now() + duration}. What is due at that very instant runs on the next driving
     * call ({@link #runCurrent()} for one that does not move time).
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time never goes backwards: duration was " + duration);
        }
        lock.lock();
        try {
            long target = saturatedAdd(now, duration.toNanos());
            drive(Kind.ADVANCE, target);
            if (now < target) {
                now = target;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link #advance(Duration)} with an interval string such as {@code "2.5s"}. */
    public void advance(String interval) {
        advance(dev.exmachina.core.Intervals.parse(interval));
    }

    /** Runs every thread that may run now, and every wait due now, without moving time. */
    public void runCurrent() {
        lock.lock();
        try {
            drive(Kind.CURRENT, saturatedAdd(now, 1));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs until nothing is ready and nothing is due, moving time as far as needed.
     *
     * @throws IllegalStateException at once, with time not moved past the point, if the next
     *     thing due is the interval of an emit that repeats forever: such a bot is never idle (use
     *     {@link #advance(Duration)}, or stop the emit)
     */
    public void advanceUntilIdle() {
        lock.lock();
        try {
            drive(Kind.UNTIL_IDLE, Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} in a new bot thread, so the test can drive time while it runs (for
     * example {@code clock.launch(bot::run)}, then {@link #advance}). Like every bot thread it
     * runs only within driving calls.
     */
    public Launched launch(Launched.Task task) {
        Objects.requireNonNull(task, "task");
        Launched launched = new Launched(this, task);
        threadFactory("launched").newThread(launched::body).start();
        return launched;
    }

    private void drive(Kind kind, long limit) {
        Thread me = Thread.currentThread();
        checkDriver(me);
        Participant driver = new Participant(me, true);
        driver.state = State.PARKED;
        runDrive(new Drive(driver, kind, limit));
    }

    private void checkDriver(Thread me) {
        if (threads.containsKey(me)) {
            throw new IllegalStateException("thread " + me.getName()
                    + " is a bot thread: only the test thread may advance the virtual clock");
        }
        if (drive != null) {
            throw new IllegalStateException("the virtual clock is already being driven by thread "
                    + drive.driver.thread.getName() + "; thread " + me.getName()
                    + " is not a bot thread: create bot threads through the clock's thread factory");
        }
        if (running != null) {
            throw new IllegalStateException("thread " + me.getName() + " is not a bot thread but waits while bot thread "
                    + running.thread.getName() + " runs: every thread that waits on the bot must be a bot thread or the test thread");
        }
    }

    /** Hands the baton to the bot until the drive ends; lock held throughout except while waiting. */
    private void runDrive(Drive d) {
        drive = d;
        boolean interrupted = false;
        try {
            dispatch();
            long seen = steps;
            long lastSeen = System.nanoTime();
            while (running != d.driver) {
                try {
                    driverTurn.await(Math.min(watchdog.toNanos(), TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (running == d.driver) {
                    break;
                }
                if (steps != seen) {
                    seen = steps;
                    lastSeen = System.nanoTime();
                } else if (System.nanoTime() - lastSeen >= watchdog.toNanos()) {
                    throw stuck();
                }
            }
        } finally {
            drive = null;
            if (running == d.driver) {
                running = null;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (d.failure != null) {
            throw d.failure;
        }
    }

    private IllegalStateException stuck() {
        Participant holder = running;
        String where = holder == null ? "nobody" : holder.thread.getName() + describeStack(holder.thread);
        return new IllegalStateException("virtual clock watchdog: for " + watchdog + " of real time no bot thread waited on the clock; "
                + "the running thread is blocked outside virtual time (real I/O, its own lock or latch) or busy: " + where);
    }

    private static String describeStack(Thread thread) {
        return java.util.Arrays.stream(thread.getStackTrace()).limit(12).map(e -> "\n\tat " + e)
                .collect(Collectors.joining());
    }

    /** Gives the baton to the next thread, moving time within the drive's limit when nothing is ready. */
    private void dispatch() {
        Drive d = drive;
        if (d == null) {
            return;
        }
        while (true) {
            Participant next = pollReady();
            if (next != null) {
                grant(next);
                return;
            }
            Timer timer = peekTimer();
            if (timer != null && timer.deadline < d.limit) {
                if (d.kind == Kind.UNTIL_IDLE && timer.owner.blocker instanceof WaitReason reason && reason.repeatsForever()) {
                    d.failure = new IllegalStateException("advanceUntilIdle() would never return: next due at +"
                            + Duration.ofNanos(timer.deadline) + " is " + reason.description()
                            + ", which repeats forever; use advance(Duration), give the emit a count, or stop it");
                    grant(d.driver);
                    return;
                }
                if (timer.deadline > now) {
                    now = timer.deadline;
                }
                steps++;
                while ((timer = peekTimer()) != null && timer.deadline <= now) {
                    timers.poll();
                    timer.owner.timer = null;
                    makeReady(timer.owner);
                }
                continue;
            }
            if (d.kind == Kind.PARK && !d.driver.woken) {
                d.failure = deadlock(d);
            }
            grant(d.driver);
            return;
        }
    }

    private IllegalStateException deadlock(Drive d) {
        String waiting = threads.values().stream()
                .sorted(Comparator.comparing(p -> p.thread.getName()))
                .map(p -> p.thread.getName() + " waits for " + p.blocker)
                .collect(Collectors.joining("; "));
        return new IllegalStateException("virtual clock: deadlock at +" + Duration.ofNanos(now) + ": "
                + d.driver.thread.getName() + " waits for " + d.driver.blocker
                + ", nothing is due and no bot thread can run" + (waiting.isEmpty() ? "" : " (" + waiting + ")"));
    }

    private @Nullable Participant pollReady() {
        if (interleaving == null || ready.size() < 2) {
            return ready.poll();
        }
        int pick = interleaving.nextInt(ready.size());
        Iterator<Participant> it = ready.iterator();
        for (int i = 0; i < pick; i++) {
            it.next();
        }
        Participant chosen = it.next();
        it.remove();
        return chosen;
    }

    private @Nullable Timer peekTimer() {
        Timer timer;
        while ((timer = timers.peek()) != null && timer.cancelled) {
            timers.poll();
        }
        return timer;
    }

    private void grant(Participant p) {
        running = p;
        p.state = State.RUNNING;
        steps++;
        if (p.driver) {
            driverTurn.signal();
        } else {
            LockSupport.unpark(p.thread);
        }
    }

    private void makeReady(Participant p) {
        p.state = State.READY;
        p.woken = true;
        ready.add(p);
    }

    /** Waits, lock held, until the baton comes to {@code me}; interrupts are kept for later. */
    private void awaitTurn(Participant me) {
        boolean interrupted = false;
        while (running != me) {
            lock.unlock();
            try {
                LockSupport.park(this);
            } finally {
                lock.lock();
            }
            if (Thread.interrupted()) {
                interrupted = true;
                if (me.state == State.PARKED) {
                    wakeFromPark(me); // an interrupt from outside the clock: like LockSupport, it wakes
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeFromPark(Participant p) {
        if (p.timer != null) {
            p.timer.cancelled = true;
            p.timer = null;
        }
        makeReady(p);
    }

    // ---- BotClock --------------------------------------------------------------------------------

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(nanoTime());
    }

    @Override
    public ThreadFactory threadFactory(String name) {
        Objects.requireNonNull(name, "name");
        return task -> {
            lock.lock();
            try {
                Thread thread = Thread.ofVirtual().name(name + "-" + ++threadNumber).unstarted(() -> runBotThread(task));
                Participant p = new Participant(thread, false);
                threads.put(thread, p);
                makeReady(p); // registered by the creator, which holds the baton: its place is fixed now
                return thread;
            } finally {
                lock.unlock();
            }
        };
    }

    private void runBotThread(Runnable task) {
        Participant me;
        lock.lock();
        try {
            me = Objects.requireNonNull(threads.get(Thread.currentThread()));
            awaitTurn(me);
        } finally {
            lock.unlock();
        }
        try {
            task.run();
        } finally {
            lock.lock();
            try {
                me.state = State.DONE;
                threads.remove(me.thread);
                running = null;
                dispatch();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void park(Object blocker, long deadlineNanos) {
        Thread thread = Thread.currentThread();
        lock.lock();
        try {
            Participant me = threads.get(thread);
            if (me == null) {
                parkDriver(thread, blocker, deadlineNanos);
                return;
            }
            if (me.permit) {
                me.permit = false;
                return;
            }
            if (thread.isInterrupted() || deadlineNanos <= now) {
                return;
            }
            if (running != me) {
                throw new IllegalStateException("bot thread " + thread.getName() + " parks without holding the baton");
            }
            me.state = State.PARKED;
            me.blocker = blocker;
            if (deadlineNanos != NO_DEADLINE) {
                me.timer = new Timer(deadlineNanos, sequence++, me);
                timers.add(me.timer);
            }
            running = null;
            dispatch();
            awaitTurn(me);
        } finally {
            lock.unlock();
        }
    }

    /** The test thread waits on the bot (for example in {@code Machina.run()}): it drives meanwhile. */
    private void parkDriver(Thread thread, Object blocker, long deadlineNanos) {
        if (outsidePermits.remove(thread) || thread.isInterrupted() || deadlineNanos <= now) {
            return;
        }
        checkDriver(thread);
        Participant driver = new Participant(thread, true);
        driver.state = State.PARKED;
        driver.blocker = blocker;
        if (deadlineNanos != NO_DEADLINE) {
            driver.timer = new Timer(deadlineNanos, sequence++, driver);
            timers.add(driver.timer);
        }
        Drive d = new Drive(driver, Kind.PARK, Long.MAX_VALUE);
        try {
            runDrive(d);
        } finally {
            if (driver.timer != null) {
                driver.timer.cancelled = true;
            }
        }
    }

    @Override
    public void unpark(Thread thread) {
        lock.lock();
        try {
            Participant p = participant(thread);
            if (p == null) {
                outsidePermits.add(thread);
                LockSupport.unpark(thread);
            } else if (p.state == State.PARKED) {
                wakeFromPark(p);
            } else {
                p.permit = true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void interrupt(Thread thread) {
        lock.lock();
        try {
            thread.interrupt();
            Participant p = participant(thread);
            if (p != null && p.state == State.PARKED) {
                wakeFromPark(p);
            }
        } finally {
            lock.unlock();
        }
    }

    private @Nullable Participant participant(Thread thread) {
        Participant p = threads.get(thread);
        if (p == null && drive != null && drive.kind == Kind.PARK && drive.driver.thread == thread) {
            p = drive.driver;
        }
        return p;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** Bot threads alive now, with what each waits for: for diagnostics. */
    public List<String> threads() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (Participant p : threads.values()) {
                out.add(p.thread.getName() + " " + p.state + (p.state == State.PARKED ? " on " + p.blocker : ""));
            }
            out.sort(null);
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "VirtualClock(+" + elapsed() + ", seed " + seed + ")";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : Math.min(sum, Long.MAX_VALUE - 1);
    }

    // ---- state -------------------------------------------------------------------------------------

    private enum State { READY, RUNNING, PARKED, DONE }

    private enum Kind { ADVANCE, CURRENT, UNTIL_IDLE, PARK }

    /** A bot thread, or the test thread while it drives. Guarded by the clock's lock. */
    private static final class Participant {
        final Thread thread;
        final boolean driver;
        State state = State.READY;
        boolean permit;
        boolean woken;
        @Nullable Timer timer;
        @Nullable Object blocker;

        Participant(Thread thread, boolean driver) {
            this.thread = thread;
            this.driver = driver;
        }
    }

    private static final class Timer {
        final long deadline;
        final long sequence;
        final Participant owner;
        boolean cancelled;

        Timer(long deadline, long sequence, Participant owner) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.owner = owner;
        }
    }

    private static final class Drive {
        final Participant driver;
        final Kind kind;
        /** Timers due strictly before this run within the drive. */
        final long limit;
        @Nullable IllegalStateException failure;

        Drive(Participant driver, Kind kind, long limit) {
            this.driver = driver;
            this.kind = kind;
            this.limit = limit;
        }
    }

    /** Builds a {@link VirtualClock}. Not thread-safe. */
    public static final class Builder {
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private long seed;
        private boolean shuffle;
        private Duration watchdog = Duration.ofSeconds(30);

        private Builder() {}

        /** The instant the clock starts at. */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /** The seed of {@link VirtualClock#random()} and of a shuffled interleaving; 0 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the next thread to run is drawn from the seed among those ready, instead of first
         * in, first out: different seeds explore different interleavings, each reproducible.
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Real time a bot thread may run without waiting on the clock before a driving call fails. */
        public Builder watchdog(Duration watchdog) {
            Objects.requireNonNull(watchdog, "watchdog");
            if (watchdog.isNegative() || watchdog.isZero()) {
                throw new IllegalArgumentException("watchdog must be positive, was " + watchdog);
            }
            this.watchdog = watchdog;
            return this;
        }

        public VirtualClock build() {
            return new VirtualClock(this);
        }
    }
}
