#!/usr/bin/env bash
# Checks the sample program's web service as a client would: starts `serve` on a free port of 127.0.0.1, asks GET /health,
# posts VIDEO to POST /predict for CSV and for JSON, checks that the CSV is byte for byte the file `predict` wrote for the
# same video (EXPECTED) and that a file that is not a video gets a 400, then stops the server (SIGTERM) and checks its
# upload folder is gone. Usage: eng/serve-check.sh MODEL VIDEO EXPECTED.csv   (after `dotnet build -c Release`)
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 MODEL VIDEO EXPECTED.csv" >&2; exit 2; }
model=$1 video=$2 expected=$3
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "eng/serve-check.sh needs curl: apt-get install -y curl" >&2; exit 1; }

work=$(mktemp -d)
uploads="$work/uploads"
dotnet Sage.MLNet.Samples/bin/Release/net10.0/Sage.MLNet.Samples.dll serve --model "$model" --urls http://127.0.0.1:0 \
  --temp "$uploads" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT

url=""
for _ in $(seq 120); do
  # The first address of the line 'Serving MODEL on URL: POST URL/predict ...'.
  url=$(sed -n 's|^Serving .* on \(http://127\.0\.0\.1:[0-9]*\):.*|\1|p' "$work/serve.log" | head -n1)
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$work/serve.log" >&2; echo "serve exited before listening" >&2; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; echo "serve did not listen within 60 s" >&2; exit 1; }

echo "GET $url/health: $(curl -sS --fail "$url/health")"
start=$(date +%s.%N)
curl -sS --fail -H 'Accept: text/csv' -F "video=@$video" "$url/predict" -o "$work/served.csv"
end=$(date +%s.%N)
cmp "$work/served.csv" "$expected" || { echo "the served CSV differs from predict's $expected" >&2; exit 1; }
echo "POST $url/predict (Accept: text/csv): $(($(wc -l <"$work/served.csv") - 1)) frames in $(awk "BEGIN { printf \"%.2f\", $end - $start }") s, identical to $expected"
curl -sS --fail -F "video=@$video" "$url/predict" -o "$work/served.json"
echo "POST $url/predict (JSON): $(head -c 160 "$work/served.json")..."

echo "not a video" >"$work/notes.txt"
status=$(curl -sS -o "$work/reason.txt" -w '%{http_code}' -F "video=@$work/notes.txt" "$url/predict")
[ "$status" = 400 ] || { echo "a text file got HTTP $status, expected 400" >&2; exit 1; }
echo "POST $url/predict (a text file): $status $(cat "$work/reason.txt")"

kill -TERM $server
wait $server || { cat "$work/serve.log" >&2; echo "serve did not exit cleanly" >&2; exit 1; }
[ ! -e "$uploads" ] || { echo "serve left its upload folder $uploads behind" >&2; ls -R "$uploads" >&2; exit 1; }
echo "serve stopped; its upload folder is gone"
