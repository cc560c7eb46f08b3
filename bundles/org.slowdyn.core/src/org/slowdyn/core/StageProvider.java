package org.slowdyn.core;

import java.util.Objects;

/**
 * Where an installed stage comes from: the OSGi bundle (symbolic name and version) or, on a plain classpath, the name
 * the caller registered it under. Recorded in run manifests and shown by {@code slowdyn list}.
 */
public record StageProvider(String name, String version) {
    /** The provider of stages registered by hand on a plain classpath. */
    public static final StageProvider CLASSPATH = new StageProvider("classpath", "");

    public StageProvider {
        Objects.requireNonNull(name);
        version = version == null ? "" : version;
    }

    @Override
    public String toString() {
        return version.isEmpty() ? name : name + " " + version;
    }
}
