#!/usr/bin/env bash
# Builds the Dockerfile's base image without Docker Hub (docs/deploying.md: Building the image without Docker
# Hub): Debian bookworm from the mirror apt here is configured with (debootstrap --variant=minbase), Node and npm
# from the npm registry, a `node` user (uid 1000, as the official node images have), and the CA bundle this host
# trusts. `docker import` makes it an image; its tag, the last line printed, goes to the build:
#
#   docker build --network host --build-arg NODE_IMAGE="$(scripts/base-image.sh)" -t imagine-bot .
#
# The tag names a hash of every input (this script, the mirror, the Node and npm versions, the CA bundle, the npm
# registry): when none changed, the image already made is reused and nothing is downloaded but two version
# look-ups; when one did, the new image replaces the old. Runs as root (debootstrap and the daemon need it). Progress goes to stderr, the tag to stdout.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit to this file (a pull) mid-run cannot
# change what runs.
{

NODE_MAJOR=24
NPM_MAJOR=11
SUITE=bookworm
REPOSITORY="${BASE_IMAGE_REPOSITORY:-imagine-bot-base}"
DOCKER="${DOCKER:-docker}"

log() { printf '%s\n' "$*" >&2; }
die() {
  log "base-image: $*"
  exit 1
}
usage() {
  cat <<'USAGE'
Usage: scripts/base-image.sh
Makes (or reuses) the Dockerfile's base image from Debian and the npm registry, as root, and prints its tag:
  docker build --network host --build-arg NODE_IMAGE="$(scripts/base-image.sh)" -t imagine-bot .
DOCKER names the docker client (default: docker); BASE_IMAGE_REPOSITORY the image's name (imagine-bot-base).
USAGE
}
case "${1:-}" in
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) log "base-image: unknown option '$1'."; usage >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || die "run it as root: debootstrap needs to create device files and chroot."
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)."
command -v npm >/dev/null || die "npm is missing: it fetches Node and npm from the npm registry."

# The Debian mirror apt uses for the suite's main component, as apt itself reads its sources.
mirror="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
  awk -v suite="$SUITE" '$2 == suite && $3 == "main" { print $1; exit }')"
[ -n "$mirror" ] || die "apt has no source for Debian $SUITE main (see /etc/apt/sources.list.d/)."

case "$(dpkg --print-architecture)" in
  amd64) node_arch=x64 ;;
  arm64) node_arch=arm64 ;;
  *) die "no Node package for $(dpkg --print-architecture) on the npm registry." ;;
esac
newest() { npm view "$1" version --json | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
  process.stdout.write([].concat(v).at(-1))'; }
node_version="$(newest "node-linux-${node_arch}@${NODE_MAJOR}")"
npm_version="$(newest "npm@${NPM_MAJOR}")"
registry="$(npm config get registry)"
# The bundle that NODE_EXTRA_CA_CERTS names (an inspecting proxy's CA, say): npm ci in the build needs it.
ca_bundle="${NODE_EXTRA_CA_CERTS:-}"
[ -z "$ca_bundle" ] || [ -r "$ca_bundle" ] || die "NODE_EXTRA_CA_CERTS names $ca_bundle, which cannot be read."

inputs="$(
  sha256sum "$0" | cut -d' ' -f1
  printf '%s\n' "$mirror" "$SUITE" "$node_arch" "$node_version" "$npm_version" "$registry"
  [ -z "$ca_bundle" ] || sha256sum "$ca_bundle" | cut -d' ' -f1
)"
tag="${REPOSITORY}:node${node_version}-$(printf '%s' "$inputs" | sha256sum | cut -c1-12)"
if "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then
  log "base-image: $tag is up to date"
  printf '%s\n' "$tag"
  exit 0
fi

work="$(mktemp -d /tmp/imagine-base-image.XXXXXX)"
# --one-file-system, here and in tar below: whatever debootstrap left mounted inside (its /proc, say, after a
# failure) is neither deleted through nor packed.
trap 'rm -rf --one-file-system "$work"' EXIT
rootfs="$work/rootfs"

log "base-image: Debian $SUITE from $mirror (debootstrap, minbase)"
# An https mirror needs a CA store in the image too, for apt-get in images built on it.
include=()
case "$mirror" in https:*) include=(--include=ca-certificates) ;; esac
debootstrap --variant=minbase "${include[@]}" "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { cat "$work/debootstrap.log" >&2; die "debootstrap failed."; }

log "base-image: Node $node_version and npm $npm_version from $registry"
(cd "$work" && npm pack --silent "node-linux-${node_arch}@${node_version}" "npm@${npm_version}" >/dev/null)
tar -xzf "$work/node-linux-${node_arch}-${node_version}.tgz" -C "$work"
install -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
rm -rf "$work/package"
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/npm-${npm_version}.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
# As Node's own distribution lays npm out, so `npm` and `npx` are on PATH.
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# npm's global config: the registry this host uses. Only the registry: tokens in ~/.npmrc stay out of the image.
mkdir -p "$rootfs/usr/local/etc"
printf 'registry=%s\nupdate-notifier=false\nfund=false\n' "$registry" >"$rootfs/usr/local/etc/npmrc"

env_ca=()
if [ -n "$ca_bundle" ]; then
  install -D -m 0644 "$ca_bundle" "$rootfs/etc/ssl/host-ca-bundle.crt"
  env_ca=(--change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-bundle.crt")
fi

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$rootfs" /usr/local/bin/node --version >/dev/null || die "the image's node does not start."
# What an image needs no copy of: downloaded packages, package lists, documentation.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

log "base-image: importing $tag"
tar -C "$rootfs" --numeric-owner --one-file-system -c . | "$DOCKER" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "${env_ca[@]}" \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
# The images earlier inputs made are replaced by this one: removed, unless a container still uses one.
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}' "$REPOSITORY" | grep -vxF "$tag" |
  xargs -r "$DOCKER" image rm >/dev/null 2>&1 || true
printf '%s\n' "$tag"
exit 0
}
