#!/usr/bin/env bash
# The install path as a user takes it, from the built p2 repositories only:
#  1. the p2 director installs the headless product (one root unit) into an empty folder (./slowdyn does this);
#  2. the example extension is built by its own Tycho build against the built update site (its tests run);
#  3. `slowdyn install` adds it; `list` shows its stages with their bundle; a pipeline in which its featurizer feeds
#     featurize.tica and its partition is the microstate partition of partition.pcca runs, and the manifest names
#     the extension's bundle for both;
#  4. `slowdyn uninstall` removes it, and the same pipeline then exits 2 naming the missing id;
#  5. the same from the site's zip.
# Usage: install-test.sh WORKDIR. Prints one line per check and "N passed, M failed".
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: install-test.sh WORKDIR}"
data="$repo/../shared/data"
rm -rf "$work"
mkdir -p "$work"
exec 3>&1 # timings go to the test's output even where a command's output goes to a file
export SLOWDYN_HOME="$work/installation"
export SLOWDYN_JAVA_OPTS="-Xmx2g"
passed=0
failed=0

check() { # check NAME COMMAND...: passes when the command succeeds
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "install-test: ok   $name"
  else failed=$((failed + 1)); echo "install-test: FAIL $name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
rc_is() { [ "$(cat "$1")" = "$2" ]; }
# the bundle recorded for a stage path in a run manifest (pretty-printed JSON: "path" : { "id", "bundle", ... })
provider_is() { grep -A3 -F "\"$2\" : {" "$1" | grep -qF "\"bundle\" : \"$3\""; }
timed() { # timed LABEL COMMAND...: runs the command, records seconds (on stderr)
  local label="$1" t0=$SECONDS rc
  shift
  "$@"
  rc=$?
  echo "install-test: time $label $((SECONDS - t0)) s" >&3
  return $rc
}
slowdyn() { "$repo/slowdyn" "$@"; }

# 1. the product from its p2 repository into an empty folder
timed product-install slowdyn installed >"$work/roots.txt"
check "the product installs with the p2 director as one root unit" \
  bash -c "[ \"\$(cat '$work/roots.txt')\" = org.slowdyn.product ]"
check "the installation has its launcher and SlowDyn bundles" \
  bash -c "compgen -G '$SLOWDYN_HOME/plugins/org.eclipse.equinox.launcher_*.jar' >/dev/null && compgen -G '$SLOWDYN_HOME/plugins/org.slowdyn.featurize_*.jar' >/dev/null"
slowdyn list >"$work/list0.txt" 2>&1; echo $? >"$work/list0.rc"
check "list runs in the installation" rc_is "$work/list0.rc" 0
check "list shows the built-in stages with their bundle" contains "$work/list0.txt" "from org.slowdyn.featurize"
check "the extension is not installed yet" lacks "$work/list0.txt" "mdlab.gmm"

# 2. the example extension, built from the update site only
timed extension-build "$repo/mvnw" -f "$repo/examples/extension/pom.xml" verify \
  -Dslowdyn.site="file:$repo/releng/org.slowdyn.site/target/repository" >"$work/extension-build.log" 2>&1
echo $? >"$work/extension-build.rc"
check "the example extension builds and passes its tests against the update site" \
  rc_is "$work/extension-build.rc" 0
grep -E "Tests run:.*Fail" "$work/extension-build.log" | tail -n 1
ext_site="$repo/examples/extension/site/target/repository"

cat >"$work/pipeline.json" <<JSON
{
  "name": "ala2-lab-stages",
  "seed": 5,
  "input": { "files": ["$data/ala2_0-10ns.xtc"], "topology": "$data/ala2.pdb" },
  "featurizer": { "id": "featurize.tica", "settings": { "lag": 10, "dimensions": 2,
      "features": { "id": "mdlab.dihedrals", "settings": { "atoms": [[4, 6, 8, 14], [6, 8, 14, 16]] } } } },
  "partition": { "id": "partition.pcca", "settings": { "lag": 10, "sets": 2,
      "micro": { "id": "mdlab.gmm", "settings": { "components": 6 } } } },
  "filter": { "id": "recrossing.none" },
  "trainer": { "id": "train.markov" },
  "kinetics": { "bootstrap": 20, "msmBootstrap": 10 }
}
JSON

round() { # round LABEL SITE: install, list, run, uninstall, run again
  local label="$1" site="$2" dir="$work/$1"
  mkdir -p "$dir"
  timed "install-$label" slowdyn install "$site" >"$dir/install.out" 2>&1; echo $? >"$dir/install.rc"
  check "$label: install exits 0" rc_is "$dir/install.rc" 0
  slowdyn installed >"$dir/roots.txt" 2>/dev/null
  check "$label: the extension's feature is an installed root" contains "$dir/roots.txt" "com.example.mdlab.feature.feature.group"
  slowdyn list >"$dir/list.txt" 2>&1
  check "$label: list shows mdlab.dihedrals" contains "$dir/list.txt" "mdlab.dihedrals  -  Dihedral angles"
  check "$label: list shows mdlab.gmm" contains "$dir/list.txt" "mdlab.gmm  -  Gaussian mixture"
  check "$label: list names the extension's bundle" contains "$dir/list.txt" "from com.example.mdlab 1.0.0"
  timed "run-$label" slowdyn run "$work/pipeline.json" --out "$dir/run" >"$dir/run.out" 2>"$dir/run.err"
  echo $? >"$dir/run.rc"
  check "$label: the pipeline with nested extension stages exits 0" rc_is "$dir/run.rc" 0
  check "$label: the manifest names the extension for TICA's featurizer" \
    provider_is "$dir/run/manifest.json" "featurizer.features" "com.example.mdlab"
  check "$label: the manifest names the extension for PCCA+'s microstates" \
    provider_is "$dir/run/manifest.json" "partition.micro" "com.example.mdlab"
  check "$label: the manifest names SlowDyn for TICA itself" \
    provider_is "$dir/run/manifest.json" "featurizer" "org.slowdyn.featurize"
  check "$label: the report has the two PCCA+ sets" contains "$dir/run.out" "metastable set 1"
  timed "uninstall-$label" slowdyn uninstall com.example.mdlab.feature >"$dir/uninstall.out" 2>&1
  echo $? >"$dir/uninstall.rc"
  check "$label: uninstall exits 0" rc_is "$dir/uninstall.rc" 0
  slowdyn list >"$dir/list2.txt" 2>&1
  check "$label: list no longer shows the extension" lacks "$dir/list2.txt" "mdlab."
  slowdyn run "$work/pipeline.json" --out "$dir/run2" >"$dir/run2.out" 2>"$dir/run2.err"; echo $? >"$dir/run2.rc"
  check "$label: the pipeline then exits 2" rc_is "$dir/run2.rc" 2
  check "$label: and names the missing id" contains "$dir/run2.err" "unknown featurizer id 'mdlab.dihedrals'"
  check "$label: nothing is left of the failed run" bash -c "[ ! -e '$dir/run2' ]"
}

# 3, 4: from the site folder; 5: from its zip
round folder "$ext_site"
round zip "$(compgen -G "$repo/examples/extension/site/target/com.example.mdlab.site-*.zip" | head -n 1)"

# 5b. per platform, from the update site: the pure-Java feature installs anywhere; the DL4J feature, whose native
#     libraries exist for linux-x86_64 only, is refused elsewhere instead of failing at first use
onplatform() { # onplatform OS WS ARCH FEATURE: installs FEATURE from the update site into a new folder for that platform
  "$repo/mvnw" -B -N -f "$repo/pom.xml" "org.eclipse.tycho:tycho-p2-director-plugin:4.0.13:director" \
    -Ddestination="$work/platform-$1-$3-$4" -Dprofile=Workbench -Dp2.os="$1" -Dp2.ws="$2" -Dp2.arch="$3" \
    -Drepositories="file:$repo/releng/org.slowdyn.site/target/repository" -DinstallIUs="$4.feature.group" \
    >"$work/platform-$1-$3-$4.log" 2>&1
}
check "org.slowdyn.feature installs on win32-x86_64" timed feature-win32-x86_64 onplatform win32 win32 x86_64 org.slowdyn.feature
check "org.slowdyn.feature installs on macosx-aarch64" timed feature-macosx-aarch64 onplatform macosx cocoa aarch64 org.slowdyn.feature
refused() { ! onplatform "$@" && grep -qF "Cannot complete the install" "$work/platform-$1-$3-$4.log"; }
check "org.slowdyn.dl4j.feature is refused on win32-x86_64" refused win32 win32 x86_64 org.slowdyn.dl4j.feature
check "org.slowdyn.dl4j.feature is refused on macosx-aarch64" refused macosx cocoa aarch64 org.slowdyn.dl4j.feature
check "org.slowdyn.dl4j.feature installs on linux-x86_64" timed dl4j-feature-linux-x86_64 onplatform linux gtk x86_64 org.slowdyn.dl4j.feature
for d in "$work"/platform-win32-x86_64-org.slowdyn.feature "$work"/platform-macosx-aarch64-org.slowdyn.feature \
    "$work"/platform-linux-x86_64-org.slowdyn.dl4j.feature; do
  echo "install-test: size $(basename "$d") $(du -sh "$d" | cut -f1)"
done

# 6. the lowest platform: SlowDyn's bundles from the update site on the runtime of Eclipse 2024-03 (4.31), with and
#    without broken third-party bundles next to them
e="$work/eclipse-2024-03"
"$repo/mvnw" -B -q -f "$repo/releng/org.slowdyn.install.tests/eclipse-2024-03/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$e/plugins" -DexcludeTransitive=true >"$work/eclipse-2024-03.log" 2>&1
check "the Eclipse 2024-03 runtime bundles come from Maven Central" \
  bash -c "compgen -G '$e/plugins/org.eclipse.osgi-3.19.0.jar' >/dev/null"
broken="$repo/releng/org.slowdyn.install.tests/broken"
mkdir -p "$e/extra/OSGI-INF"
cp "$broken/clash.xml" "$broken/failing.xml" "$e/extra/OSGI-INF/"
for b in clash failing unresolved; do
  xml=failing.xml; [ $b = clash ] && xml=clash.xml
  jar --create --file "$e/extra/com.example.$b.jar" --manifest "$broken/$b.MF" -C "$e/extra" "OSGI-INF/$xml"
done
configure() { # configure NAME EXTRA_JARS...: a config.ini of the 2024-03 runtime, SlowDyn's bundles and the extras
  local dir="$e/$1" list="" j n
  shift
  mkdir -p "$dir"
  for j in "$e"/plugins/*.jar; do
    n="$(basename "$j")"
    case "$n" in
      org.eclipse.osgi-*|org.eclipse.equinox.launcher-*) ;;
      org.apache.felix.scr-*|org.eclipse.equinox.common-*) list="$list,reference:file:$j@2:start" ;;
      org.eclipse.core.runtime-*) list="$list,reference:file:$j@4:start" ;;
      *) list="$list,reference:file:$j" ;;
    esac
  done
  for j in "$repo"/releng/org.slowdyn.site/target/repository/plugins/{org.slowdyn.,com.fasterxml.,org.apache.commons.math3,picocli_,wrapped.org.jfree.}*.jar "$@"; do
    list="$list,reference:file:$j"
  done
  printf 'osgi.bundles=%s\nosgi.bundles.defaultStartLevel=4\nosgi.framework=file:%s\neclipse.application=org.slowdyn.app.headless\n' \
    "${list#,}" "$e/plugins/org.eclipse.osgi-3.19.0.jar" >"$dir/config.ini"
}
on2403() { # on2403 CONFIG ARGS...
  local config="$1"
  shift
  java -Xmx2g -jar "$e/plugins/org.eclipse.equinox.launcher-1.6.700.jar" -configuration "$e/$config" -data @none \
    -nosplash "$@"
}
small() { # small NAME PARTITION TRAINER: a small pipeline on the built-in simulation
  printf '{"name": "%s", "input": {"simulate": {"trajectories": 20, "frames": 500}}, "featurizer": {"id": "featurize.columns"}, "partition": %s, "filter": {"id": "recrossing.min-dwell"}, "trainer": %s, "kinetics": {"bootstrap": 0, "msmBootstrap": 0}}' \
    "$1" "$2" "$3" >"$e/$1.json"
  echo "$e/$1.json"
}
configure plain
on2403 plain list >"$e/list.txt" 2>&1; echo $? >"$e/list.rc"
check "2024-03: list exits 0" rc_is "$e/list.rc" 0
check "2024-03: the DL4J trainers resolve" contains "$e/list.txt" "train.lstm  -  "
check "2024-03: nothing failed to load" lacks "$e/list.txt" "Failed to load"
p="$(small lstm '{"id": "partition.nearest"}' '{"id": "train.lstm", "settings": {"units": 8, "sequenceLength": 50, "epochs": 1}}')"
on2403 plain run "$p" --out "$e/lstm-run" >"$e/lstm.out" 2>&1; echo $? >"$e/lstm.rc"
check "2024-03: a run with the LSTM trainer exits 0" rc_is "$e/lstm.rc" 0

configure broken "$e/extra/com.example.clash.jar" "$e/extra/com.example.failing.jar" "$e/extra/com.example.unresolved.jar"
on2403 broken help >"$e/help.txt" 2>&1; echo $? >"$e/help.rc"
check "broken extensions: help still exits 0" rc_is "$e/help.rc" 0
on2403 broken list >"$e/blist.txt" 2>&1; echo $? >"$e/blist.rc"
check "broken extensions: list exits 0" rc_is "$e/blist.rc" 0
check "broken extensions: list shows the clash with both bundles" contains "$e/blist.txt" \
  "CLASH: the id 'partition.grid' is provided by com.example.clash 1.0.0 and org.slowdyn.partition"
check "broken extensions: list names the component that failed to activate" contains "$e/blist.txt" \
  "com.example.failing 1.0.0: component com.example.failing.chi: failed to activate"
check "broken extensions: list names the bundle that cannot resolve" contains "$e/blist.txt" \
  "com.example.unresolved 1.0.0: bundle: cannot start"
on2403 broken run "$(small clash '{"id": "partition.grid"}' '{"id": "train.markov"}')" --out "$e/clash-run" \
  >"$e/clash.out" 2>"$e/clash.err"; echo $? >"$e/clash.rc"
check "broken extensions: a pipeline naming the clashing id exits 2" rc_is "$e/clash.rc" 2
check "broken extensions: and names both bundles" bash -c "grep -qF com.example.clash '$e/clash.err' && grep -qF org.slowdyn.partition '$e/clash.err'"
on2403 broken run "$(small fine '{"id": "partition.nearest"}' '{"id": "train.markov"}')" --out "$e/fine-run" \
  >"$e/fine.out" 2>&1; echo $? >"$e/fine.rc"
check "broken extensions: a pipeline that does not need them exits 0" rc_is "$e/fine.rc" 0

echo "install-test: sizes: product repository $(du -sh "$repo/releng/org.slowdyn.product/target/repository" | cut -f1), update site $(du -sh "$repo/releng/org.slowdyn.site/target/repository" | cut -f1), extension site $(du -sh "$ext_site" | cut -f1), installation $(du -sh "$SLOWDYN_HOME" | cut -f1)"
echo "install-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
