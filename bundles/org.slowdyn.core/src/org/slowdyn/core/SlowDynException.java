package org.slowdyn.core;

/** Base of the errors SlowDyn reports to its users; the message says what went wrong and where. */
public class SlowDynException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SlowDynException(String message) {
        super(message);
    }

    public SlowDynException(String message, Throwable cause) {
        super(message, cause);
    }
}
