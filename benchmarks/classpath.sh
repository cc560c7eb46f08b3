# Sourced by the benchmark scripts: builds SlowDyn when the product (or the DL4J jars) is missing and sets $cp to a
# plain classpath of the product's jars. Needs $repo (the repository root).
plugins="$repo/releng/org.slowdyn.product/target/products/org.slowdyn.product/linux/gtk/x86_64/plugins"
if ! compgen -G "$plugins/org.slowdyn.train.neural_*.jar" >/dev/null || [ ! -d "$repo/bundles/org.slowdyn.dl4j/lib" ]; then
  echo "building SlowDyn (./mvnw verify -DskipTests)..." >&2
  "$repo/mvnw" -B -q -f "$repo/pom.xml" verify -DskipTests >&2
fi
# the DL4J bundle nests its jars: on a plain classpath use the copies the build leaves in bundles/org.slowdyn.dl4j/lib
cp="$(find "$plugins" -maxdepth 1 -name '*.jar' ! -name 'org.slowdyn.dl4j_*' | tr '\n' ':')"
cp="$cp$(find "$repo/bundles/org.slowdyn.dl4j/lib" -name '*.jar' | tr '\n' ':')"
