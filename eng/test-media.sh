#!/usr/bin/env bash
# Fetches the real face photograph the face-detection tests and demos make their videos from: astronaut.png (a
# public-domain NASA portrait of Eileen Collins) from Debian's python3-skimage package, taken out of the .deb with
# dpkg -x (nothing is installed). The file's SHA-256 is pinned. Prints the file's path.
# Where: $SAGE_TEST_MEDIA if set, else ~/.cache/sage-mlnet/test-media.
set -euo pipefail

sha256=88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
folder=${SAGE_TEST_MEDIA:-${XDG_CACHE_HOME:-$HOME/.cache}/sage-mlnet/test-media}
target="$folder/astronaut.png"

if [ -f "$target" ] && echo "$sha256  $target" | sha256sum -c --status; then
  echo "$target"
  exit 0
fi
command -v apt-get >/dev/null && command -v dpkg >/dev/null || {
  echo "eng/test-media.sh needs apt-get and dpkg (Debian or Ubuntu) to fetch python3-skimage's astronaut.png" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get download -qq python3-skimage >/dev/null 2>&1); }
if ! download; then
  # The package lists may be missing (a fresh container): refresh them where we may.
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; elif command -v sudo >/dev/null; then sudo apt-get update -qq; fi
  download || { echo "apt-get download python3-skimage failed; run apt-get update first (as root)" >&2; exit 1; }
fi
dpkg -x "$work"/python3-skimage_*.deb "$work/x"
found=$(find "$work/x" -path '*skimage/data/astronaut.png' | head -1)
[ -n "$found" ] || { echo "python3-skimage has no skimage/data/astronaut.png" >&2; exit 1; }
echo "$sha256  $found" | sha256sum -c --status || {
  echo "astronaut.png from python3-skimage does not match its pinned SHA-256 $sha256" >&2; exit 1; }
mkdir -p "$folder"
cp "$found" "$target.tmp" && mv "$target.tmp" "$target"
echo "$target"
