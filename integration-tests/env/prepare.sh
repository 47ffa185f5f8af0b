#!/usr/bin/env bash
# Prepares this machine for the privileged integration tests (run as root; idempotent; about 20 s the first
# time on a fresh Debian machine, under a second afterwards):
#   1. installs docker.io and nftables from Debian's packages when they are missing;
#   2. starts a Docker engine with its bridge in 198.18.0.0/16 (RFC 2544's benchmarking range) when none
#      answers (an engine that already runs is left as it is: the tests put their peers on an --internal
#      network of their own in 198.18.0.0/16 anyway);
#   3. builds the peer image halfopen/peer-nft:1 locally, without any registry: busybox (from Debian's
#      busybox-static package, extracted, not installed) plus this host's nft binary and its libraries
#      (shared/research/harness.md, recipes A2 and A3);
#   4. removes peers and namespaces that an earlier, crashed run left behind.
# The network namespaces (198.19.0.0/16, 2001:2::/48) are created and torn down by the tests themselves.
set -euo pipefail

IMAGE=halfopen/peer-nft:1
LABEL=io.halfopen.it
DOCKER_LOG=${DOCKER_LOG:-/var/log/halfopen-dockerd.log}
DOCKER_PIDFILE=${DOCKER_PIDFILE:-/run/halfopen-dockerd.pid}

say() { printf 'prepare: %s\n' "$*"; }
die() { printf 'prepare: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages, starts dockerd and builds an image)"

apt_updated=0
install_missing() { # install_missing COMMAND PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    if [ "$apt_updated" = 0 ]; then
      say "apt-get update"
      apt-get update -q >/dev/null
      apt_updated=1
    fi
    say "installing $2 (no $1 on PATH)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
  fi
}
install_missing dockerd docker.io
install_missing nft nftables
install_missing ip iproute2
# the namespace tests enter their namespaces with nsenter; the locale tests build de_DE.UTF-8 with localedef and
# read glibc's German messages (libc-l10n): under CI=true those tests fail, never skip, without them
install_missing nsenter util-linux
install_missing localedef locales
if [ ! -f /usr/share/locale/de/LC_MESSAGES/libc.mo ]; then
  [ "$apt_updated" = 1 ] || { say "apt-get update"; apt-get update -q >/dev/null; apt_updated=1; }
  say "installing libc-l10n (no glibc German messages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libc-l10n >/dev/null
fi

# 2. a Docker engine
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd with its bridge in 198.18.0.0/16 (log: $DOCKER_LOG)"
  # Its own pid file: nothing answers, so any pid file left is stale (a daemon killed with its session, whose
  # pid may even linger as a zombie), and dockerd refuses to start over a pid file whose process exists.
  rm -f "$DOCKER_PIDFILE"
  # The same for the containerd that dockerd manages: a pid file naming a dead or zombie process makes dockerd
  # wait for a containerd that will never answer.
  # A live pid is not enough: on a busy machine the dead daemon's pid is soon another process's (a JVM's), and
  # dockerd then waits for that process to answer as containerd. Stale unless it names a live daemon of its kind.
  for entry in /var/run/docker/containerd/containerd.pid:containerd /var/run/docker.pid:dockerd; do
    pidfile=${entry%%:*} daemon=${entry##*:}
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile" 2>/dev/null || true)
      if [ -z "$pid" ] || [ ! -d "/proc/$pid" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null \
          || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$daemon" ]; then
        say "removing stale $pidfile"
        rm -f "$pidfile"
      fi
    fi
  done
  nohup dockerd --pidfile "$DOCKER_PIDFILE" --bip 198.18.0.1/24 \
    --default-address-pool base=198.18.0.0/16,size=24 >"$DOCKER_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 300); do # at most 60 s (containerd's own start takes seconds on a loaded machine)
    docker info >/dev/null 2>&1 && break
    sleep 0.2
  done
  docker info >/dev/null 2>&1 || { tail -20 "$DOCKER_LOG" >&2; die "dockerd did not come up within 60 s"; }
fi
say "docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# 4. leftovers of a crashed run (the fixtures clean up after themselves; a killed JVM cannot)
stale=$(docker ps -aq --filter "label=$LABEL" || true)
[ -z "$stale" ] || { say "removing stale peer containers"; docker rm -f $stale >/dev/null; }
stale=$(docker network ls -q --filter "label=$LABEL" || true)
[ -z "$stale" ] || { say "removing stale peer networks"; docker network rm $stale >/dev/null; }
for ns in $(ip netns list | awk '/^halfopen-it-/{print $1}'); do
  say "removing stale namespace $ns"
  ip netns pids "$ns" | xargs -r kill -9
  ip netns del "$ns"
done

# 3. the peer image
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "image $IMAGE present"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  say "building $IMAGE"
  (cd "$work" && apt-get download -q busybox-static >/dev/null 2>&1) || {
    apt-get update -q >/dev/null
    (cd "$work" && apt-get download -q busybox-static >/dev/null)
  }
  dpkg-deb -x "$work"/busybox-static_*.deb "$work/x"
  root="$work/root"
  mkdir -p "$root/bin" "$root/usr/sbin" "$root/www"
  cp "$work/x/bin/busybox" "$root/bin/"
  for applet in sh httpd sleep ip cat ls; do ln -s busybox "$root/bin/$applet"; done
  cp "$(command -v nft)" "$root/usr/sbin/nft"
  for lib in $(ldd "$(command -v nft)" | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/sbin:/bin' -c 'CMD ["/bin/sh"]' \
    -c "LABEL $LABEL.image=peer" - "$IMAGE" >/dev/null
  docker run --rm "$IMAGE" nft --version >/dev/null || die "the image's nft does not run"
  say "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
fi
