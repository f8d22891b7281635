package dev.exmachina.examples.exchange;

import java.time.Duration;

/**
 * What the exchange observed, as counts since it started.
 *
 * @param requests      every request that arrived, whatever its answer
 * @param ok            answered 2xx
 * @param rateLimited   answered 429: it arrived when {@code limit} requests had already been
 *                      accepted in the last {@code window}
 * @param unavailable   answered 503 (the seeded share of accepted requests)
 * @param clientErrors  answered 4xx other than 429 (unknown symbol, bad order, bad method)
 * @param ordersPlaced  orders the exchange accepted
 * @param peakInWindow  the most requests that arrived in any interval of length {@code window},
 *                      rejected ones included: what the client really sent
 * @param limit         requests the exchange accepts per {@code window}
 * @param window        the sliding window of the rate limit
 */
public record ExchangeStats(
        long requests,
        long ok,
        long rateLimited,
        long unavailable,
        long clientErrors,
        long ordersPlaced,
        int peakInWindow,
        int limit,
        Duration window) {}
