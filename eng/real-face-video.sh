#!/usr/bin/env bash
# Makes a short real-face video from the registry photograph (eng/astronaut.sh): 640 x 360 at 25 fps, 4 s, with a
# 220 Hz tone as its audio track. The photo (scaled to 360 x 360) pans from left to right for 3.2 s, then leaves
# the frame: the last 20 frames have no face. Usage: eng/real-face-video.sh OUT.mp4
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUT.mp4" >&2; exit 2; }
out=$1
root="$(cd "$(dirname "$0")/.." && pwd)"
photo=$("$root/eng/astronaut.sh")
case $photo in /*) ;; *) photo="$root/$photo" ;; esac
mkdir -p "$(dirname "$out")"
ffmpeg -y -v error -loop 1 -framerate 25 -i "$photo" \
  -f lavfi -i "color=c=0x303040:s=640x360:r=25" \
  -f lavfi -i "sine=frequency=220:sample_rate=16000" \
  -filter_complex "[0:v]scale=360:360,setsar=1[photo];[1:v][photo]overlay=x='if(lt(t,3.2),20+70*t,700)':y=0,format=yuv420p[v]" \
  -map "[v]" -map 2:a -frames:v 100 -t 4 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 64k "$out.tmp.mp4"
mv "$out.tmp.mp4" "$out"
echo "$out"
