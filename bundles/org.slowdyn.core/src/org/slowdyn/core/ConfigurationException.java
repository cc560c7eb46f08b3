package org.slowdyn.core;

/**
 * A pipeline or its settings are wrong (unknown id, unknown field, value out of range). The command line maps it to
 * exit code 2.
 */
public class ConfigurationException extends SlowDynException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
