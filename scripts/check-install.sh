#!/usr/bin/env bash
# check-install.sh: what a user's build sees. Runs `./mvnw -B install` into a private local repository, checks that
# every published module put its jar, sources jar, javadoc jar and a pom with full metadata there, then builds and
# runs a project outside the reactor (scripts/consumer) that imports halfopen-bom and uses HalfOpenLimitHandler
# against those installed artifacts.
#
# The private repository is chained in front of ~/.m2 (Maven 3.9's maven.repo.local.tail), so third-party
# dependencies come from the usual cache and nothing of this build leaks into ~/.m2.
#   usage: scripts/check-install.sh [extra Maven args, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d -t halfopen-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
tail_repo="${MAVEN_REPO_TAIL:-$HOME/.m2/repository}"
mvn_repo=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$tail_repo")

version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
bom_version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' bom/pom.xml | head -1)
if [ "$version" != "$bom_version" ]; then
  echo "check-install: bom/pom.xml is at $bom_version, the reactor at $version: keep them equal" >&2
  exit 1
fi

echo "check-install: ./mvnw -B install (tests skipped: CI ran them) into $repo"
./mvnw -B -q "${mvn_repo[@]}" "$@" install -DskipTests

# The published modules: those the BOM lists. Every reactor module that is not marked unpublished must be one.
python3 - "$root" "$repo" "$version" <<'PY'
import os, sys, xml.etree.ElementTree as ET
root, repo, version = sys.argv[1:]
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
def pom(path):
    return ET.parse(path).getroot()
bom = pom(os.path.join(root, "bom/pom.xml"))
listed = [d.findtext("m:artifactId", namespaces=ns)
          for d in bom.findall("m:dependencyManagement/m:dependencies/m:dependency", ns)]
problems = []
reactor = [m.text for m in pom(os.path.join(root, "pom.xml")).findall("m:modules/m:module", ns)]
for module in reactor:
    p = pom(os.path.join(root, module, "pom.xml"))
    artifact = p.findtext("m:artifactId", namespaces=ns)
    unpublished = (p.findtext("m:properties/m:halfopen.unpublished", namespaces=ns) or "false").strip() == "true"
    if artifact == "halfopen-bom" or unpublished:
        continue
    if artifact not in listed:
        problems.append(f"module {module} ({artifact}) is published but bom/pom.xml does not list it")
required = ["name", "description", "url", "licenses/m:license/m:name", "developers/m:developer/m:name",
            "scm/m:url", "scm/m:connection"]
def effective_field(pom_path, field):
    # A module's pom inherits these from halfopen-parent, which is installed beside it.
    p = pom(pom_path)
    value = p.findtext("m:" + field, namespaces=ns)
    if value and value.strip():
        return value.strip()
    parent = p.find("m:parent", ns)
    if parent is None:
        return None
    g = parent.findtext("m:groupId", namespaces=ns).replace(".", "/")
    a = parent.findtext("m:artifactId", namespaces=ns)
    v = parent.findtext("m:version", namespaces=ns)
    return effective_field(os.path.join(repo, g, a, v, f"{a}-{v}.pom"), field)
for artifact in ["halfopen-bom"] + listed:
    base = os.path.join(repo, "io/halfopen", artifact, version)
    pom_path = os.path.join(base, f"{artifact}-{version}.pom")
    wanted = [pom_path]
    if artifact != "halfopen-bom":
        wanted += [os.path.join(base, f"{artifact}-{version}{suffix}.jar") for suffix in ("", "-sources", "-javadoc")]
    missing = [os.path.basename(w) for w in wanted if not os.path.isfile(w)]
    if missing:
        problems.append(f"{artifact}: not installed: {', '.join(missing)}")
        continue
    for field in required:
        if not effective_field(pom_path, field):
            problems.append(f"{artifact}: its pom has no {field.replace('m:', '')}")
    print(f"  {artifact} {version}: " + ("pom" if artifact == "halfopen-bom" else "jar, sources, javadoc, pom")
          + " with full metadata")
if problems:
    print("check-install: " + "\n  ".join(["problems:"] + problems), file=sys.stderr)
    sys.exit(1)
PY

echo "check-install: building and running scripts/consumer against the installed artifacts"
cp -r scripts/consumer "$work/consumer"
(cd "$work/consumer" && "$root/mvnw" -B -q "${mvn_repo[@]}" "$@" -Dhalfopen.version="$version" package \
  dependency:build-classpath -Dmdep.outputFile=classpath.txt)
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$work/consumer/target/classes:$(cat "$work/consumer/classpath.txt")" example.Consumer
echo "check-install: ok"
