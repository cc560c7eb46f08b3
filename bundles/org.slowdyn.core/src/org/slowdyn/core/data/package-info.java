/** The data that flows between stages: feature series, state sequences, trajectory input. Immutable values. */
@Version("0.1.0")
package org.slowdyn.core.data;

import org.osgi.annotation.versioning.Version;
