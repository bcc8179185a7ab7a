#!/usr/bin/env bash
# `make image`: build the Dockerfile on a machine without a Docker engine, with Debian's podman.
#
# - The base image is a stand-in for python:3.13-slim made by debootstrap from Debian trixie
#   (which ships Python 3.13); it is made once and kept in podman's store under a tag that names
#   its recipe, so later builds reuse it.
# - chroot isolation: podman's OCI runtime cannot manage cgroups on these machines.
# - --format docker keeps the HEALTHCHECK (the OCI format drops it).
# - The machine's CA bundle is mounted read-only over the base's own during the build, so pip
#   inside the build trusts the machine's registry proxy; nothing of it stays in the image.
# On a machine with Docker the same Dockerfile builds on the real base: `docker build .`.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/openness-atlas:latest}
SUITE=trixie
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# python-is-python3 gives `python`, passwd gives `useradd`: both are in python:3.13-slim too.
PACKAGES=python3,python3-venv,python-is-python3,ca-certificates,passwd
BASE_IMAGE=localhost/atlas-base:$SUITE-$(printf '%s %s' "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

die() { echo "make image: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, podman's chroot isolation); with Docker: docker build ."

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "${missing[*]} missing and no apt-get to install them"
  echo "make image: installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! podman image exists "$BASE_IMAGE"; then
  echo "make image: making the base image $BASE_IMAGE with debootstrap ($SUITE, once)"
  rootfs=$(mktemp -d /var/tmp/atlas-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -5 "$rootfs.log" >&2; die "debootstrap failed (full log: $rootfs.log)"; }
  rm -f "$rootfs.log"
  # What python:3.13-slim also leaves out: package lists and caches.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | podman import --change 'CMD ["python3"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

volumes=()
[ -f "$CA_BUNDLE" ] && volumes+=(-v "$CA_BUNDLE:$CA_BUNDLE:ro")

previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
podman build --isolation=chroot --network=host --pull=never --format docker \
  --build-arg BASE_IMAGE="$BASE_IMAGE" "${volumes[@]}" -t "$IMAGE" .
# The image this build replaced would otherwise pile up, untagged, in the store.
current=$(podman image inspect --format '{{.Id}}' "$IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
echo "make image: built $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE" \
  | awk '{printf "%.0f MB", $1 / 1e6}'))"
