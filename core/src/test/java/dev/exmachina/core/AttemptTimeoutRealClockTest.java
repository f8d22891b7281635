package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Attempt timeouts on the real clock, where the interrupt must reach real blocking I/O. */
class AttemptTimeoutRealClockTest {

    /**
     * Tests that an attempt timeout interrupts a blocking socket read: a local server accepts and
     * never answers; the forked attempt (a virtual thread, whose socket reads are interruptible)
     * times out with an {@link AttemptTimeoutException} whose cause is the I/O failure the
     * interrupt caused.
     */
    @Test
    void attemptTimeoutInterruptsABlockingSocketRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var bot = Machina.builder().build();
            Execute<Integer, Integer> read = bot.execute("read",
                    ExecuteOptions.defaults().attemptTimeout(Duration.ofMillis(200)), i -> {
                        try (Socket socket = new Socket(server.getInetAddress(), server.getLocalPort())) {
                            InputStream in = socket.getInputStream();
                            return in.read(); // the server never writes
                        }
                    });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            bot.emit("main", EmitOptions.defaults().count(1), event -> {
                try {
                    event.execute(read, 1).join();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            bot.run();

            var timeout = assertInstanceOf(AttemptTimeoutException.class, thrown.get());
            assertEquals("read", timeout.execute());
            assertNotNull(timeout.getCause());
            assertInstanceOf(IOException.class, timeout.getCause());
        }
    }

    /**
     * Tests that the race between an attempt's end and its timer never leaves a stray interrupt:
     * 20,000 calls on the real clock whose handlers spin for about as long as their timeout, so that
     * the timer fires before, during and after their end; after every call the thread is not
     * interrupted, and every failure is a timeout.
     */
    @Test
    void theTimerRaceNeverLeavesAStrayInterrupt() throws Exception {
        var bot = Machina.builder().build();
        Execute<Integer, Integer> spin = bot.execute("spin",
                ExecuteOptions.defaults().attemptTimeout(Duration.ofNanos(20_000)), i -> {
                    long end = System.nanoTime() + 20_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return i;
                });
        AtomicInteger stray = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicReference<Throwable> other = new AtomicReference<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 20_000; i++) {
                try {
                    spin.call(i);
                } catch (AttemptTimeoutException e) {
                    timedOut.incrementAndGet();
                } catch (Throwable t) {
                    other.set(t);
                }
                if (Thread.interrupted()) {
                    stray.incrementAndGet();
                }
            }
        });
        bot.run();

        assertEquals(null, other.get());
        assertEquals(0, stray.get(), "stray interrupts (timed out: " + timedOut.get() + ")");
    }
}
