/**
 * Limits an HTTP API announces, for a bot that calls it: {@link dev.exmachina.http.RetryAfter} (both
 * forms of {@code Retry-After}), {@link dev.exmachina.http.RateLimitHeaders} (the IETF draft's
 * {@code RateLimit}/{@code RateLimit-Policy}, the older {@code RateLimit-Limit}/{@code -Remaining}/{@code -Reset},
 * GitHub's {@code X-RateLimit-*}, LLM APIs' {@code x-ratelimit-*-requests}/{@code -tokens}), and
 * {@link dev.exmachina.http.ServerLimits}, which tells a concurrent group what the server said.
 *
 * <p>Nothing here throws on a header the server got wrong: a malformed value is left out and
 * described in {@link dev.exmachina.http.ServerWord#problems()}.
 */
@NullMarked
package dev.exmachina.http;

import org.jspecify.annotations.NullMarked;
