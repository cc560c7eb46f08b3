package org.slowdyn.core;

import org.osgi.annotation.versioning.ProviderType;

/** Finds an installed stage by family and id; nested stages of composite stages are resolved through it. */
@ProviderType
public interface StageResolver {
    /**
     * @throws ConfigurationException when no stage of that family has the id (the message lists the ids that exist),
     *                                or when two installed bundles both provide it (the message names both)
     */
    <T extends Stage> T get(StageFamily<T> family, String id);
}
