package dev.exmachina.testkit;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.testkit.internal.Marks;
import dev.exmachina.testkit.internal.TimelineHtml;
import dev.exmachina.testkit.internal.TimelineFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A picture of a bot's run on virtual time: a {@link BotListener} that records what the bot does,
 * at the virtual instant it happens, and writes it as one self-contained HTML file (inline SVG and
 * CSS, no script, nothing loaded from the network) that opens in any browser.
 *
 * <p>The page has one lane per emit (its iterations, failed ones marked), per execute (its attempts
 * with their outcome, timeouts, retries with their waits) and per concurrent group (the waits for a
 * slot or a window start), on one axis of virtual time, and below it every event in order, each
 * with its instant. Events the lanes do not know are drawn as marks on the lane they name.
 *
 * <pre>{@code
 * @Test
 * void retriesUntilTheApiAnswers(VirtualClock clock, Timeline timeline) throws Exception {
 *     var bot = Machina.builder().clock(clock).listener(timeline).build();
 *     ...                       // on failure, VirtualClockExtension writes the timeline and names its file
 *     timeline.write(Path.of("target/retries.html"));   // or on demand
 * }
 * }</pre>
 *
 * <p><b>Concurrency.</b> Thread-safe: events may come from several bot threads; each is recorded
 * under a lock, with the clock's time read when it arrives. It keeps the latest
 * {@value #KEPT} marks (one per iteration, attempt, wait or other event); older ones are dropped,
 * and the page says how many.
 */
public final class Timeline implements BotListener {

    /**
     * One thing the page draws: a bar from {@code startNanos} to {@code endNanos} on a lane, or a
     * mark where the two are equal.
     *
     * @param lane the lane, such as {@code "emit tick"}, {@code "execute call"}, {@code "group api"}
     *     or {@code "bot name"}
     * @param kind what it is: {@code iteration}, {@code iteration-failed}, {@code running},
     *     {@code attempt-success}, {@code attempt-failure}, {@code attempt-cancelled},
     *     {@code timeout}, {@code retry-wait}, {@code wait-slot}, {@code wait-window},
     *     {@code emit-failed}, {@code restart-wait}, {@code bot-started}, {@code bot-stopped},
     *     {@code hook-failed}, or the event's own name in lower case with hyphens for the others
     * @param startNanos where it begins, in the clock's virtual nanoseconds
     * @param endNanos where it ends, not before {@code startNanos}
     * @param label what the page says of it
     */
    public record Mark(String lane, String kind, long startNanos, long endNanos, String label) {
        /** Checks the components: none is null, and the end is not before the start. */
        public Mark {
            Objects.requireNonNull(lane, "lane");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(label, "label");
            if (endNanos < startNanos) {
                throw new IllegalArgumentException("a mark ends before it starts: " + startNanos + " > " + endNanos);
            }
        }
    }

    /** How many finished marks a timeline keeps, the latest. */
    public static final int KEPT = 20_000;

    private final VirtualClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Marks marks = new Marks(KEPT);

    private Timeline(VirtualClock clock) {
        this.clock = clock;
    }

    /**
     * A timeline on {@code clock}'s time: add it to the bot with
     * {@code Machina.builder().clock(clock).listener(timeline)}.
     *
     * @param clock the clock the bot runs on
     * @return a new, empty timeline
     */
    public static Timeline of(VirtualClock clock) {
        return new Timeline(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Records {@code event} at the clock's current instant.
     *
     * @param event what the bot reports
     */
    @Override
    public void onEvent(BotEvent event) {
        lock.lock();
        try {
            marks.add(clock.nanoTime(), event);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the page draws, so far: one entry per lane item or event mark.
     *
     * @return a snapshot: the finished marks in the order their events came, then what is still
     *     running, drawn up to now
     */
    public List<Mark> marks() {
        lock.lock();
        try {
            return marks.snapshot(clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The page, as it would be written now.
     *
     * @param title the page's heading, such as the test's name
     * @return a complete HTML document
     */
    public String html(String title) {
        Objects.requireNonNull(title, "title");
        lock.lock();
        try {
            return TimelineHtml.render(title, marks.snapshot(clock.nanoTime()), marks.dropped(), clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the page to {@code file}, making its folders if needed; its title is the file's name.
     *
     * @param file where to write, such as {@code target/timeline.html}; replaced if it exists
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    public Path write(Path file) throws IOException {
        return TimelineFiles.write(file, html(file.getFileName().toString().replaceFirst("\\.html$", "")));
    }
}
