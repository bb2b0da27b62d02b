#!/usr/bin/env bash
# Creates a console app outside the repository with a ProjectReference to Sage.MLNet.csproj, as people who clone the
# repository do. Such an app does not get the Sage.MLNet build targets, so its copy of libLibTorchSharp.so stays as
# TorchSharp ships it; on Debian 12 (libstdc++ without GLIBCXX_3.4.32) training must then load the copy that
# Sage.MLNet patches at run time into the per-user cache. Runs the same program as nuget-consumer.sh and checks that
# the output copy was left alone and, where libstdc++ is old, that the cache holds the patched copy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
dotnet new console -o app --framework net10.0 >/dev/null
cp "$repo/eng/nuget-consumer/Program.cs" app/Program.cs
dotnet add app reference "$repo/Sage.MLNet/Sage.MLNet.csproj" >/dev/null
dotnet build app -c Release --nologo -v quiet
export XDG_CACHE_HOME="$work/cache"
dotnet run --project app -c Release --no-build -- "$work/run"

torchsharp=$(sed -n 's/.*Include="TorchSharp" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")
shipped="${NUGET_PACKAGES:-$HOME/.nuget/packages}/torchsharp/$torchsharp/runtimes/linux-x64/native/libLibTorchSharp.so"
[ -f "$shipped" ] || { echo "FAILED: TorchSharp $torchsharp's libLibTorchSharp.so is not at $shipped"; exit 1; }
output=$(find app/bin/Release -name libLibTorchSharp.so | head -1)
cmp -s "$shipped" "$output" || { echo "FAILED: $output is not TorchSharp's file as shipped: the build targets ran"; exit 1; }
libstdcxx=$(ldconfig -p | sed -n 's/.*libstdc++.so.6 (libc6,x86-64) => //p' | head -1)
if grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  echo "$libstdcxx provides GLIBCXX_3.4.32: TorchSharp loaded as shipped, no run-time patch needed"
else
  patched=$(find "$XDG_CACHE_HOME/sage-mlnet/native" -name libLibTorchSharp.so | head -1)
  [ -n "$patched" ] || { echo "FAILED: $libstdcxx lacks GLIBCXX_3.4.32, yet no patched copy is in the cache"; exit 1; }
  echo "$libstdcxx lacks GLIBCXX_3.4.32: trained with the run-time patched copy $(realpath --relative-to="$work" "$patched")"
fi
