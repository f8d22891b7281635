package dev.exmachina.spring;

import dev.exmachina.core.Event;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the tests share: a virtual clock, and bots written as a Spring application would. */
final class Bots {

    private Bots() {}

    /** A virtual clock as the context's clock: the bot runs while the test drives it. */
    @Configuration(proxyBeanMethods = false)
    static class VirtualClockConfig {
        @Bean
        VirtualClock virtualClock() {
            return VirtualClock.create();
        }
    }

    /** Two fixed-delay emits whose iterations take one second each; counts how many overlap. */
    static class TwoSlowEmits {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final List<String> iterations = new CopyOnWriteArrayList<>();

        @Emit(name = "a", every = "1s")
        void a(Event event) throws InterruptedException {
            work(event);
        }

        @Emit(name = "b", every = "1s")
        void b(Event event) throws InterruptedException {
            work(event);
        }

        private void work(Event event) throws InterruptedException {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                event.sleep(Duration.ofSeconds(1));
                iterations.add(event.name() + event.epoch());
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    /** One emit without interval whose iterations take {@code length} on the bot's clock. */
    static class LongIterations {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Duration length;

        LongIterations(Duration length) {
            this.length = length;
        }

        /** Seconds of virtual time, from the instant a {@link VirtualClock} starts at. */
        private static long at(Event event) {
            return Duration.between(Instant.parse("2026-01-01T00:00:00Z"), event.now()).toSeconds();
        }

        @Emit(name = "long")
        void iterate(Event event) {
            events.add("start " + event.epoch() + " at +" + at(event) + "s");
            try {
                event.sleep(length);
                events.add("end " + event.epoch() + " at +" + at(event) + "s");
            } catch (InterruptedException e) {
                events.add("interrupted " + event.epoch() + " at +" + at(event) + "s");
            }
        }
    }
}
