package dev.exmachina.examples.exchange;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.exmachina.http.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blocking client of {@link ExchangeServer}: one call is one HTTP request, and any answer but
 * 2xx is an {@link ApiException}. Blocking is the point: on a virtual thread it costs nothing.
 * Every answer, whatever its status, is first shown to the {@code onResponse} given (the bot gives
 * what reads the exchange's rate-limit headers).
 */
public final class ExchangeClient implements AutoCloseable {
    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.]+)");
    private static final Pattern TEXT = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");

    private final URI base;
    private final HttpClient http;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile Consumer<HttpResponse<?>> onResponse = response -> {};

    public ExchangeClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Shows every answer to {@code onResponse} from now on, before it is returned or thrown. */
    public void onResponse(Consumer<HttpResponse<?>> onResponse) {
        this.onResponse = onResponse;
    }

    /** The best bid and ask: a request of weight {@link ExchangeServer#BOOK_WEIGHT}. */
    public Book book(String symbol) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve("/book/" + encode(symbol))).GET().build();
        String body = send(request);
        return new Book(text(body, "symbol"), number(body, "bid"), number(body, "ask"));
    }

    public Quote price(String symbol) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve("/prices/" + encode(symbol))).GET().build();
        String body = send(request);
        return new Quote(text(body, "symbol"), number(body, "price"));
    }

    public Fill order(String symbol, String side, BigDecimal quantity) throws IOException, InterruptedException {
        String form = "symbol=" + encode(symbol) + "&side=" + encode(side) + "&quantity=" + quantity.toPlainString();
        var request = HttpRequest.newBuilder(base.resolve("/orders"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        String body = send(request);
        return new Fill(number(body, "orderId").longValueExact(), text(body, "symbol"), text(body, "side"),
                number(body, "quantity"), number(body, "price"));
    }

    /** Requests this client sent, whatever their answer. */
    public long sent() {
        return sent.get();
    }

    /** 503 answers this client received. */
    public long unavailable() {
        return unavailable.get();
    }

    /** 429 answers this client received. */
    public long rateLimited() {
        return rateLimited.get();
    }

    @Override
    public void close() {
        http.close();
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        sent.incrementAndGet();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        onResponse.accept(response);
        if (response.statusCode() / 100 != 2) {
            if (response.statusCode() == 503) unavailable.incrementAndGet();
            if (response.statusCode() == 429) rateLimited.incrementAndGet();
            throw new ApiException(response.statusCode(), request.method() + " " + request.uri().getPath(), response.body(),
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        return response.body();
    }

    /**
     * The wait a {@code Retry-After} header asks for: delay-seconds, or an HTTP-date (the wait until
     * then), read by exmachina-http's {@link RetryAfter}; null when absent or unreadable, so that a
     * retry rule falls back to its backoff.
     */
    static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null) return null;
        Instant now = Instant.now();
        return RetryAfter.parse(header, now).map(at -> Duration.between(now, at)).orElse(null);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // The exchange's answers are flat JSON objects; two patterns read them without a JSON library.
    private static BigDecimal number(String body, String field) throws IOException {
        return new BigDecimal(field(NUMBER, body, field));
    }

    private static String text(String body, String field) throws IOException {
        return field(TEXT, body, field);
    }

    private static String field(Pattern pattern, String body, String field) throws IOException {
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            if (m.group(1).equals(field)) return m.group(2);
        }
        throw new IOException("no field \"" + field + "\" in the exchange's answer: " + body);
    }
}
