#!/usr/bin/env bash
# Runs every test of the solution in Release, after installing what the tests need (see prerequisites.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prerequisites.sh
dotnet test Sage.MLNet.sln -c Release "$@"
