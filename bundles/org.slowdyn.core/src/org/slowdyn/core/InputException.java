package org.slowdyn.core;

/** Input data that cannot be used: the message names the file, the line or frame, and what was expected. */
public class InputException extends SlowDynException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
