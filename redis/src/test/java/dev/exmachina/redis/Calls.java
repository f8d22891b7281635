package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs calls at once on virtual threads, for the tests; a hang dumps the threads and fails. */
final class Calls {
    private Calls() {}

    interface Call {
        void run(int i) throws Exception;
    }

    static void runConcurrently(int n, Call call) throws Exception {
        var errors = new ConcurrentLinkedQueue<Throwable>();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread.ofVirtual().start(() -> {
                try {
                    call.run(index);
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            Path dump = Path.of("target", "hang-" + System.nanoTime() + ".txt").toAbsolutePath();
            new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "Thread.dump_to_file", "-format=text",
                    dump.toString()).inheritIO().start().waitFor();
            fail("calls did not end; threads in " + dump);
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("calls failed", errors.peek());
        }
    }
}
