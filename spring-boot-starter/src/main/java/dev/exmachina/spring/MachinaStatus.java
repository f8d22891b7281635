package dev.exmachina.spring;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the auto-configured bot has done lately, per emit and for the whole bot: a listener the
 * starter adds to its bot, read by the Actuator endpoint and health indicator.
 *
 * <p><b>Concurrency.</b> Thread-safe: each emit's progress is an immutable record swapped in a
 * concurrent map by the emit's own thread (one iteration of an emit at a time), the bot's run an
 * immutable record in a volatile field. Readers see each record whole, never a torn one.
 */
public final class MachinaStatus implements BotListener {

    /**
     * An emit's latest iteration.
     *
     * @param epoch the latest iteration's epoch (1, 2, … within the emit's current run)
     * @param lag how late the latest iteration began, after its planned instant
     * @param iterating whether that iteration is still running
     * @param iterations iterations begun since the application started, every run of the emit
     * @param lastDuration how long the latest finished iteration ran; zero before one finished
     */
    public record EmitProgress(long epoch, Duration lag, boolean iterating, long iterations, Duration lastDuration) {}

    /**
     * The bot's latest run.
     *
     * @param startedAt when it began, or {@code null} before the first run
     * @param stoppedAt when it ended, or {@code null} while it runs
     * @param failure why it stopped, when a failure stopped it
     */
    public record Run(@Nullable Instant startedAt, @Nullable Instant stoppedAt, @Nullable Throwable failure) {}

    private final Map<String, EmitProgress> emits = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private volatile Run run = new Run(null, null, null);

    /** A status with nothing seen yet. */
    public MachinaStatus() {}

    /**
     * The latest iteration of an emit.
     *
     * @param emit the emit's name
     * @return its progress; empty if it has not run an iteration yet
     */
    public Optional<EmitProgress> emit(String emit) {
        return Optional.ofNullable(emits.get(emit));
    }

    /**
     * The bot's latest run.
     *
     * @return when it started and stopped, and its failure
     */
    public Run run() {
        return run;
    }

    /**
     * The circuit breakers that have changed state so far, by name: those of executes included, which
     * the bot does not list otherwise.
     *
     * @return a snapshot; each breaker is live ({@link CircuitBreaker#state()} reads its state now)
     */
    public Map<String, CircuitBreaker> breakers() {
        return Map.copyOf(breakers);
    }

    @Override
    public void onCircuitStateChanged(BotEvent.CircuitStateChanged event) {
        breakers.put(event.breaker().name(), event.breaker());
    }

    @Override
    public void onBotStarted(BotEvent.BotStarted event) {
        run = new Run(event.at(), null, null);
    }

    @Override
    public void onBotStopped(BotEvent.BotStopped event) {
        run = new Run(run.startedAt(), event.at(), event.failure());
    }

    @Override
    public void onIterationStarted(BotEvent.IterationStarted event) {
        EmitProgress before = emits.get(event.emit());
        long iterations = before == null ? 1 : before.iterations() + 1;
        Duration last = before == null ? Duration.ZERO : before.lastDuration();
        emits.put(event.emit(), new EmitProgress(event.epoch(), event.lag(), true, iterations, last));
    }

    @Override
    public void onIterationEnded(BotEvent.IterationEnded event) {
        emits.computeIfPresent(event.emit(), (name, p) ->
                new EmitProgress(p.epoch(), p.lag(), false, p.iterations(), event.duration()));
    }
}
