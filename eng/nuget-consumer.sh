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
echo "packed $(ls "$work/feed")"

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
dotnet run --project app -c Release -- "$work/run"
