#!/usr/bin/env bash
# Runs the sample program's demo (synthetic Aff-Wild2 → featurise → train → evaluate → save → load → predict),
# after installing what it needs (see prerequisites.sh). Results go to ./sage-demo unless --out says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prerequisites.sh
dotnet run --project Sage.MLNet.Samples -c Release -- demo "$@"
