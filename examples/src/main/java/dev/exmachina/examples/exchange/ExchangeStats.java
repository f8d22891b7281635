package dev.exmachina.examples.exchange;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the exchange observed, as counts since it started. Requests have weights (a price 1, an
 * order book {@link ExchangeServer#BOOK_WEIGHT}, an order 1); its limit counts their weight.
 *
 * @param requests      every request that arrived, whatever its answer
 * @param ok            answered 2xx
 * @param rateLimited   answered 429: it arrived when its weight would have taken the weight accepted
 *                      in the last {@code window} over the limit in force
 * @param unavailable   answered 503 (the seeded share of accepted requests)
 * @param clientErrors  answered 4xx other than 429 (unknown symbol, bad order, bad method)
 * @param ordersPlaced  orders the exchange accepted
 * @param peakInWindow  the most weight that arrived in any interval of length {@code window}, rejected
 *                      requests included: what the client really sent
 * @param limit         the weight the exchange accepted per {@code window} when it started
 * @param window        the sliding window of the rate limit
 * @param weight        the total weight of the requests that arrived
 * @param limitChange   the limit's change during the run, or null if it did not change
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
        Duration window,
        long weight,
        @Nullable LimitChange limitChange) {

    /**
     * The exchange halved its limit: it announced the new limit in its headers from
     * {@code announcedAt} on, and enforced it from {@code enforcedAt} on (one window later).
     *
     * @param from          the limit before
     * @param to            the limit after
     * @param announcedAt   how long after the exchange started it began to announce {@code to}
     * @param enforcedAt    how long after the exchange started it began to refuse above {@code to}
     * @param peakAfter     the most weight that arrived in any window ending after {@code enforcedAt}
     */
    public record LimitChange(int from, int to, Duration announcedAt, Duration enforcedAt, int peakAfter) {}
}
