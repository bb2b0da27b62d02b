#!/usr/bin/env bash
# Makes sure the native tools Sage.MLNet's tests and samples need are installed (Debian or Ubuntu):
# ffmpeg and ffprobe (audio featurisation, synthetic videos), fontconfig (SkiaSharp's native library) and npm (the build
# fetches the BlazeFace face detector with npm pack), curl (eng/serve-check.sh asks the web service), chromium (the live page's
# headless-browser test); then the face tests' photograph (eng/astronaut.sh).
# Installs them with apt-get when it can (as root, or with sudo); otherwise prints the exact command and fails.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
ldconfig -p 2>/dev/null | grep -q 'libfontconfig\.so\.1' || missing+=(libfontconfig1)
command -v npm >/dev/null || missing+=(npm)
command -v curl >/dev/null || missing+=(curl)
command -v chromium >/dev/null || missing+=(chromium)
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is not installed: see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Missing: ${missing[*]}. Install them with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

"$(dirname "$0")/astronaut.sh" >/dev/null
