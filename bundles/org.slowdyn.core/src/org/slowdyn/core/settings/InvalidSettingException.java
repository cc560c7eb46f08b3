package org.slowdyn.core.settings;

import org.slowdyn.core.ConfigurationException;

/** A setting has a value of the wrong type or out of its allowed range, or a field is unknown. */
public class InvalidSettingException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidSettingException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The name of the offending field. */
    public String field() {
        return field;
    }
}
