package dev.exmachina.bench;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.testkit.Launched;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/** A core concurrent group with a window of N per T (no concurrency limit), as a {@link Gate}. */
final class CoreGates {
    private CoreGates() {}

    static final List<AnchorGates.Kind> ALL = List.of(
            new AnchorGates.Kind("core", "core group on the real clock; instants read in the handler",
                    CoreGates::real),
            new AnchorGates.Kind("core-virtual",
                    "core group on VirtualClock: one thread runs at a time and time moves only when all"
                            + " wait, so the instant read in the handler is the instant the group decided",
                    CoreGates::virtual));

    private static Execute<LongConsumer, Boolean> execute(BotClock clock, int n, Duration window) {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("window", GroupLimits.unlimited().perWindow(n, window));
        return bot.execute("start", ExecuteOptions.groups("window"), started -> {
            started.accept(clock.nanoTime());
            return true;
        });
    }

    private static Gate real(int n, Duration window) {
        return execute(BotClock.system(), n, window)::call;
    }

    private static Gate virtual(int n, Duration window) {
        var clock = VirtualClock.builder().watchdog(Duration.ofMinutes(5)).build();
        var execute = execute(clock, n, window);
        return new Gate() {
            @Override
            public void pass(LongConsumer started) throws Exception {
                execute.call(started);
            }

            @Override
            public long now() {
                return clock.nanoTime();
            }

            /** Bot threads of the clock: only those may wait on it. Joining them drives the clock. */
            @Override
            public void runThreads(int threads, VirtualThreads.IndexedBody body) throws Exception {
                var launched = new Launched[threads];
                for (int i = 0; i < threads; i++) {
                    int index = i;
                    launched[i] = clock.launch(() -> body.run(index));
                }
                for (Launched task : launched) task.join();
            }
        };
    }
}
