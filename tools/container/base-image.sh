#!/usr/bin/env bash
# A local stand-in for python:*-slim, for building the mock's image where no image registry is
# reachable (these CI machines): Debian bookworm's minimal system with its Python 3.11, venv and
# pip, from the mirror apt already uses, imported into podman as localhost/msgflash-base:bookworm.
# Idempotent: an existing image is kept. Needs root, debootstrap and podman (tests/test_container_image.py).
set -euo pipefail
IMAGE="${1:-localhost/msgflash-base:bookworm}"
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
if "${PODMAN[@]}" image exists "$IMAGE"; then
  exit 0
fi
# Debian's own archive among apt's sources (not -security, not a vendor's repository).
MIRROR="$({ grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
  || true; } | head -n1 | tr -d ' ')"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates bookworm "$ROOTFS" "$MIRROR" >/dev/null
ln -sf python3 "$ROOTFS/usr/bin/python"
ln -sf pip3 "$ROOTFS/usr/bin/pip"
tar -C "$ROOTFS" -c . | "${PODMAN[@]}" import - "$IMAGE" >/dev/null
