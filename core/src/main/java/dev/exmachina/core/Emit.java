package dev.exmachina.core;

/**
 * A registered supervised loop. Started by {@link Machina#run()} (autostart) or {@link Event#start},
 * stopped gracefully by {@link Event#stop} / {@link Machina#stop()} (the current iteration finishes)
 * or at once by {@link Event#cancel}. Thread-safe.
 */
public interface Emit {

    String name();

    EmitOptions options();

    /**
     * Whether the emit is running, queued to start, stopping or being cancelled: false only once its
     * loop has ended (or before it was started).
     */
    boolean isAlive();
}
