package org.slowdyn.core;

import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * What every pipeline stage implementation has: a stable id (also published as the service property
 * {@value #ID_PROPERTY}), a label, a one-line description and the schema of its settings.
 */
@ConsumerType
public interface Stage {
    /** Service property that carries {@link #id()} in the OSGi service registry. */
    String ID_PROPERTY = "slowdyn.id";

    String id();

    String label();

    String description();

    SettingsSchema settingsSchema();
}
