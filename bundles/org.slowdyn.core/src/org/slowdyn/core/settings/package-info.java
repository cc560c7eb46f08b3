/**
 * Settings of a stage: typed {@link org.slowdyn.core.settings.Setting}s with defaults, ranges, units and
 * descriptions, collected in a {@link org.slowdyn.core.settings.SettingsSchema}, read from JSON and validated.
 * <p>0.2.0: nested stages ({@link org.slowdyn.core.settings.Setting#stage}, {@code stageList},
 * {@link org.slowdyn.core.settings.NestedStage}) replace the free JSON object settings.
 */
@Version("0.2.0")
package org.slowdyn.core.settings;

import org.osgi.annotation.versioning.Version;
