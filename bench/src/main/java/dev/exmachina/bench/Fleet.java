package dev.exmachina.bench;

import java.time.Duration;

/** Many idle loops ticking at one interval: the subject of the P5 measurement. */
interface Fleet {
    /**
     * Starts {@code loops} loops; loop {@code i} first waits {@code offsets[i]}, then runs
     * {@code ticks.begin(i); ticks.end(i)} once per iteration, waiting {@code interval} after each
     * iteration ends, until {@link #stop()}.
     */
    void start(int loops, Duration[] offsets, Duration interval, Ticks ticks) throws Exception;

    /** Stops every loop and returns when all have ended. */
    void stop() throws Exception;
}
