#!/usr/bin/env bash
# Packs Sage.MLNet, creates a fresh console app outside the solution that references the package from a local
# folder source (as the README tells users to), and runs it: tiny synthetic Aff-Wild2 → default encoders → train →
# save → load → identical predictions. Fails if any step does.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
version="0.1.0-local.$(date +%Y%m%d%H%M%S)"
trap 'rm -rf "$work" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/sage.mlnet/$version"' EXIT

dotnet pack "$repo/Sage.MLNet" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
echo "packed $(ls "$work/feed"): $(du -k "$work/feed"/*.nupkg | cut -f1) KiB"

cd "$work"
dotnet new console -o app --framework net10.0 >/dev/null
cat > app/nuget.config <<XML
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cp "$repo/eng/nuget-consumer/Program.cs" app/Program.cs
dotnet add app package Sage.MLNet --version "$version" >/dev/null
# What a fresh consumer restores: every package of the app's closure, as downloaded (.nupkg) and as extracted.
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
python3 - "$work/app/obj/project.assets.json" "$packages" <<'PY'
import json, os, sys
assets, root = json.load(open(sys.argv[1])), sys.argv[2]
folders = [os.path.join(root, lib["path"]) for lib in assets["libraries"].values() if lib["type"] == "package"]
sizes = [(os.path.join(dirpath, f), f.endswith(".nupkg")) for folder in folders for dirpath, _, files in os.walk(folder) for f in files]
download = sum(os.path.getsize(p) for p, nupkg in sizes if nupkg)
extracted = sum(os.path.getsize(p) for p, nupkg in sizes if not nupkg)
print(f"restore: {len(folders)} packages, {download / 2**20:.0f} MiB downloaded, {extracted / 2**20:.0f} MiB extracted")
PY
dotnet run --project app -c Release -- "$work/run"
