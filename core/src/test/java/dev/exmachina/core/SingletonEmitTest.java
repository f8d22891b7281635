package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.spi.EmitLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Singleton emits through the {@link EmitLease} SPI, with an in-memory lease shared by two bots. */
class SingletonEmitTest {

    /** One lease in memory: a holder and a token counter, as a shared store would keep them. */
    static final class SharedLease {
        final AtomicReference<Object> holder = new AtomicReference<>();
        final AtomicLong tokens = new AtomicLong();
        final AtomicLong current = new AtomicLong();
        final AtomicInteger renewals = new AtomicInteger();
        final AtomicInteger denials = new AtomicInteger();

        EmitLease holderFor() {
            Object me = new Object();
            return new EmitLease() {
                @Override
                public synchronized OptionalLong tryAcquire() {
                    if (holder.get() == me) {
                        return OptionalLong.of(current.get());
                    }
                    if (denials.get() > 0) {
                        denials.decrementAndGet();
                        return OptionalLong.empty();
                    }
                    if (holder.compareAndSet(null, me)) {
                        current.set(tokens.incrementAndGet());
                        return OptionalLong.of(current.get());
                    }
                    return OptionalLong.empty();
                }

                @Override
                public boolean renew() {
                    renewals.incrementAndGet();
                    return holder.get() == me;
                }

                @Override
                public void release() {
                    holder.compareAndSet(me, null);
                }

                @Override
                public Duration renewEvery() {
                    return Duration.ofMillis(10);
                }
            };
        }
    }

    @Test
    void eachNewHolderGetsAHigherTokenAndTheLeaseIsGivenUpWhenTheRunEnds() throws Exception {
        SharedLease lease = new SharedLease();
        List<Long> tokens = new ArrayList<>();
        for (int bot = 0; bot < 2; bot++) {
            var machina = Machina.builder().build();
            machina.emit("job", EmitOptions.defaults().count(3).singleton(lease.holderFor()),
                    event -> tokens.add(event.fencingToken().orElseThrow()));
            machina.run();
            machina.close();
            assertEquals(null, lease.holder.get(), "released when the run ended");
        }
        assertEquals(List.of(1L, 1L, 1L, 2L, 2L, 2L), tokens);
    }

    @Test
    void aProcessThatDoesNotHoldTheLeaseSkipsTheIterationAndTriesAgain() throws Exception {
        SharedLease lease = new SharedLease();
        lease.denials.set(2);
        List<Long> epochs = new ArrayList<>();
        var machina = Machina.builder().build();
        machina.emit("job", EmitOptions.every(Duration.ofMillis(5)).count(2).singleton(lease.holderFor()),
                event -> epochs.add(event.epoch()));
        machina.run();
        assertEquals(List.of(1L, 2L), epochs, "skipped iterations move neither epoch nor count");
        assertEquals(0, lease.denials.get());
    }

    @Test
    void theLeaseIsRenewedWhileTheEmitRunsAndAnOrdinaryEmitHasNoToken() throws Exception {
        SharedLease lease = new SharedLease();
        List<OptionalLong> plain = new ArrayList<>();
        var machina = Machina.builder().build();
        machina.emit("job", EmitOptions.defaults().count(1).singleton(lease.holderFor()), event -> event.sleep(Duration.ofMillis(100)));
        machina.emit("plain", EmitOptions.defaults().count(1), event -> plain.add(event.fencingToken()));
        machina.run();
        assertTrue(lease.renewals.get() >= 3, "renewed " + lease.renewals.get() + " times in 100 ms at 10 ms");
        assertEquals(List.of(OptionalLong.empty()), plain);
    }

    @Test
    void aLeaseThatCannotBeDecidedSkipsTheIterationInsteadOfFailingTheBot() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        EmitLease unreachable = new EmitLease() {
            @Override
            public OptionalLong tryAcquire() {
                if (asked.incrementAndGet() < 3) {
                    throw new IllegalStateException("store unreachable");
                }
                return OptionalLong.of(7);
            }

            @Override
            public boolean renew() {
                return true;
            }

            @Override
            public void release() {}

            @Override
            public Duration renewEvery() {
                return Duration.ofMillis(5);
            }
        };
        var machina = Machina.builder().build();
        machina.emit("job", EmitOptions.defaults().count(1).singleton(unreachable), event -> ran.incrementAndGet());
        machina.run();
        assertEquals(3, asked.get());
        assertEquals(1, ran.get());
    }
}
