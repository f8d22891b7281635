/**
 * Retry rules ({@link dev.exmachina.retry.RetryRule}) and ordered retry policies
 * ({@link dev.exmachina.retry.Retry}).
 *
 * <p><b>Waits from the failure.</b> A failure may say how long to wait: an HTTP 429 or 503 with a
 * {@code Retry-After} header.
 * {@link dev.exmachina.retry.RetryRule#waitFrom(java.util.function.Function) RetryRule.waitFrom} gives a
 * rule a function that reads it; when the function returns {@code null} (the failure says nothing),
 * the rule's own backoff decides.
 * {@link dev.exmachina.retry.RetryRule#waitBefore(int, Throwable, java.util.random.RandomGenerator)
 * RetryRule.waitBefore(retry, failure, random)} is what a caller asks:
 * <pre>{@code
 * RetryRule.exponentialAndJitter(ApiException.class)
 *         .filter(e -> e.status() == 429 || e.status() >= 500)
 *         .waitFrom(ApiException::retryAfter)   // a Duration, or null: then the backoff
 *         .retries(5);
 * }</pre>
 */
@NullMarked
package dev.exmachina.retry;

import org.jspecify.annotations.NullMarked;
