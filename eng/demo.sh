#!/usr/bin/env bash
# Runs the sample program's demo (synthetic Aff-Wild2 → featurise → train → evaluate → save → load → predict),
# after installing what it needs (see prerequisites.sh). Results go to ./demo-output unless --out says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prerequisites.sh
[ $# -gt 0 ] || set -- --out demo-output
dotnet run --project Sage.MLNet.Samples -c Release -- demo "$@"
