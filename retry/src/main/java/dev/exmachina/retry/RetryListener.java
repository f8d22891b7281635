package dev.exmachina.retry;

/**
 * Told of each retry, before its wait: the hook for logging (the retry module has no logging
 * dependency of its own). A listener shared by a {@link Retry} used from several threads is called
 * from all of them, possibly at once, so it must be thread-safe. An exception it throws ends the
 * call it was told about (see {@link RetryState#onFailure(Throwable)}).
 */
@FunctionalInterface
public interface RetryListener {
    /**
     * Called once per retry, in the thread of the call, before the wait.
     *
     * @param event what failed, which rule retries it, and the wait
     */
    void onRetry(RetryEvent event);
}
