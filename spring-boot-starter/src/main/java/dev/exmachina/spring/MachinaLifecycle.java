package dev.exmachina.spring;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Machina;
import dev.exmachina.core.MachinaException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the application's bot while the context runs: {@link #start()} calls {@link Machina#run()} in
 * a thread of the bot's clock, {@link #stop()} stops it gracefully (the current iterations finish,
 * no new one starts) and waits up to the grace period for {@code run()} to return; what is still
 * running then is cancelled by {@link Machina#close()}.
 *
 * <p><b>Phase.</b> {@link #PHASE}: started after the web server, stopped before it (and before its
 * graceful shutdown), so the endpoints still answer while the bot winds down.
 *
 * <p><b>Threads.</b> The bot runs each emit on a thread of its own made by its clock (a virtual
 * thread on the system clock), never on Spring's task scheduler: two fixed-delay emits run at the
 * same time whatever {@code spring.threads.virtual.enabled} says. On the system clock,
 * {@code run()} waits in a platform thread named {@code <bot>-run} that is not a daemon, so an
 * application whose only work is the bot stays up while the bot runs (no web server or
 * {@code spring.main.keep-alive} needed) and ends when its run ends. On a virtual clock (a
 * {@code VirtualClock} bean, in tests) it waits in a thread of that clock, and the bot runs while
 * the test drives the clock.
 *
 * <p><b>Concurrency.</b> {@code start} and {@code stop} are serialised by a lock. {@code done} is
 * set by the runner thread when {@code run()} returns, after which it unparks the thread waiting in
 * {@code stop}, if any; the waiter publishes itself before it reads {@code done}, so one of the two
 * always sees the other and the wait never misses the end.
 */
public final class MachinaLifecycle implements SmartLifecycle {

    /**
     * The phase: {@code SmartLifecycle.DEFAULT_PHASE - 512}, above the web server's graceful shutdown
     * ({@code DEFAULT_PHASE - 1024}) and the web server ({@code DEFAULT_PHASE - 2048}), so the bot
     * starts after them and stops before them.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(MachinaLifecycle.class);

    private final Machina bot;
    private final Duration gracePeriod;
    private final boolean autostart;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean done = true;
    private volatile @Nullable Thread waiter;
    private volatile @Nullable Throwable failure;

    /**
     * A lifecycle for {@code bot}.
     *
     * @param bot the bot to run
     * @param gracePeriod how long {@link #stop()} lets current iterations finish before cancelling
     * @param autostart whether the context's start runs the bot
     */
    public MachinaLifecycle(Machina bot, Duration gracePeriod, boolean autostart) {
        this.bot = Objects.requireNonNull(bot, "bot");
        this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
        this.autostart = autostart;
    }

    /** Runs the bot in a new thread of its clock, unless it runs already. */
    @Override
    public void start() {
        lock.lock();
        try {
            if (!done) {
                return;
            }
            done = false;
            failure = null;
            // On the real clock, a platform thread that is no daemon keeps the JVM up while the bot
            // runs (an application with no web server); on another clock, a thread of that clock.
            Thread thread = bot.clock() == BotClock.system()
                    ? Thread.ofPlatform().name(bot.name() + "-run").daemon(false).unstarted(this::runBot)
                    : bot.clock().threadFactory(bot.name() + "-run").newThread(this::runBot);
            thread.start();
            LOG.info("bot '{}' started with {} emit(s) and {} concurrent group(s)", bot.name(), bot.emits().size(),
                    bot.concurrentGroups().size());
        } finally {
            lock.unlock();
        }
    }

    private void runBot() {
        try {
            bot.run();
        } catch (MachinaException e) {
            failure = e;
            LOG.atError().setCause(e).log("bot '{}' stopped: {}", bot.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.atError().setCause(e).log("bot '{}' could not run: {}", bot.name(), e.toString());
        } finally {
            done = true;
            Thread w = waiter;
            if (w != null) {
                bot.clock().unpark(w);
            }
        }
    }

    /**
     * Stops the bot gracefully and waits, on the bot's clock, up to the grace period for its run to
     * end; then closes it, cancelling what is left (the bot cannot run again in this context).
     */
    @Override
    public void stop() {
        lock.lock();
        try {
            if (done) {
                return;
            }
            LOG.info("bot '{}' stopping: current iterations may finish within {}", bot.name(), gracePeriod);
            bot.stop();
            if (awaitEnd()) {
                LOG.info("bot '{}' stopped", bot.name());
            } else {
                LOG.warn("bot '{}' still running {} after its stop: cancelling what is left", bot.name(), gracePeriod);
                bot.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits on the bot's clock for the run to end, up to the grace period; true if it ended. */
    private boolean awaitEnd() {
        BotClock clock = bot.clock();
        long deadline;
        try {
            deadline = Math.addExact(clock.nanoTime(), gracePeriod.toNanos());
        } catch (ArithmeticException tooLong) {
            deadline = BotClock.NO_DEADLINE;
        }
        waiter = Thread.currentThread();
        try {
            while (!done) {
                if (deadline != BotClock.NO_DEADLINE && clock.nanoTime() - deadline >= 0) {
                    return false;
                }
                clock.park(new BotClock.WaitReason("bot '" + bot.name() + "' to end its run", false), deadline);
                if (Thread.currentThread().isInterrupted()) {
                    return done;
                }
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    /**
     * Whether the bot's run is under way.
     *
     * @return true from {@link #start()} until its run has ended
     */
    @Override
    public boolean isRunning() {
        return !done;
    }

    /**
     * Whether the context's start runs the bot ({@code exmachina.autostart}).
     *
     * @return the choice given to the constructor
     */
    @Override
    public boolean isAutoStartup() {
        return autostart;
    }

    /**
     * The phase, {@link #PHASE}.
     *
     * @return {@link #PHASE}
     */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Why the latest run ended early, if a failure ended it.
     *
     * @return the failure {@code run()} threw, or {@code null}
     */
    public @Nullable Throwable failure() {
        return failure;
    }
}
