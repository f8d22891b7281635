package dev.exmachina.examples.exchange;

import java.io.IOException;
import java.io.Serial;

/** The exchange answered with a status other than 2xx. */
public final class ApiException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String request, String body) {
        super("HTTP " + status + " from " + request + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 5xx: the exchange's fault, worth trying again. A 4xx means the request itself is wrong. */
    public boolean isServerError() {
        return status >= 500;
    }
}
