#!/usr/bin/env bash
# Fetches the real-face test photograph: astronaut.png (512 x 512, Eileen Collins, NASA, public domain) from Debian's
# python3-skimage package (scikit-image 0.19.3, BSD-3-Clause; the photo itself carries no copyright), without
# installing the package: `apt-get download` + `dpkg -x`, then a SHA-256 check of the photo.
# Usage: eng/astronaut.sh [DEST]   (default artifacts/media/astronaut.png). Prints the photo's path; reuses a verified copy.
set -euo pipefail
cd "$(dirname "$0")/.."

sha256=88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
dest=${1:-artifacts/media/astronaut.png}

if [ -f "$dest" ] && echo "$sha256  $dest" | sha256sum --check --status; then
  echo "$dest"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download needs the package lists; a fresh machine may have none yet.
if ! apt-cache show python3-skimage >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; elif command -v sudo >/dev/null; then sudo apt-get update -qq; fi
fi
(cd "$work" && apt-get download -qq python3-skimage >/dev/null 2>&1) \
  || { echo "could not download python3-skimage with apt-get (is apt set up?)" >&2; exit 1; }
dpkg -x "$work"/python3-skimage_*.deb "$work/x"
photo="$work/x/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
[ -f "$photo" ] || { echo "python3-skimage has no skimage/data/astronaut.png" >&2; exit 1; }
echo "$sha256  $photo" | sha256sum --check --status \
  || { echo "astronaut.png from python3-skimage has SHA-256 $(sha256sum "$photo" | cut -d' ' -f1), expected $sha256" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
cp "$photo" "$dest.tmp" && mv "$dest.tmp" "$dest"
echo "$dest"
