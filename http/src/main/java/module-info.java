/**
 * What an HTTP API says about its limits, read from {@code java.net.http} responses and fed to a
 * concurrent group: {@link dev.exmachina.http.ServerLimits}, {@link dev.exmachina.http.RateLimitHeaders},
 * {@link dev.exmachina.http.RetryAfter}.
 */
module dev.exmachina.http {
    requires static org.jspecify;
    requires transitive dev.exmachina.core;
    requires transitive java.net.http;

    exports dev.exmachina.http;
}
