#!/usr/bin/env bash
# Real video samples for the tokenizer tests, from Debian packages (fetched with apt-get download, unpacked
# with dpkg -x, nothing installed): cockatoo.mp4, realshort.mp4, newtonscradle.gif (python3-imageio) and
# vtest.avi (opencv-doc). Also writes cockatoo.expected.json: frame count, size and frame durations read
# from the MP4 boxes by a small independent parser (not FFmpeg), the oracle of the decoding test.
# Usage: bash .ci/fixtures.d/20-video-samples.sh FIXTURES_DIR   (idempotent)
set -euo pipefail
out="$1/video"
mkdir -p "$out"
if [[ -f "$out/cockatoo.mp4" && -f "$out/vtest.avi" && -f "$out/cockatoo.expected.json" ]]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download python3-imageio opencv-doc >/dev/null 2>&1) || {
  apt-get update -q >/dev/null
  (cd "$work" && apt-get download python3-imageio opencv-doc >/dev/null)
}
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
imgs="$(find "$work/x" -path '*imageio/resources/images' -type d | head -n 1)"
cp "$imgs/cockatoo.mp4" "$imgs/realshort.mp4" "$imgs/newtonscradle.gif" "$out/"
cp "$(find "$work/x" -name vtest.avi | head -n 1)" "$out/"

python3 - "$out/cockatoo.mp4" "$out/cockatoo.expected.json" <<'PY'
# Independent oracle: walk the ISO-BMFF boxes of the video track (tkhd size, mdhd timescale, stts deltas).
import json, struct, sys
data = open(sys.argv[1], 'rb').read()
CONTAINERS = {b'moov', b'trak', b'mdia', b'minf', b'stbl'}
def boxes(off, end):
    while off + 8 <= end:
        size, kind = struct.unpack('>I4s', data[off:off + 8]); hdr = 8
        if size == 1:
            size = struct.unpack('>Q', data[off + 8:off + 16])[0]; hdr = 16
        elif size == 0:
            size = end - off
        yield kind, off + hdr, off + size
        off += size
def find(off, end, path):
    for kind, b, e in boxes(off, end):
        if kind == path[0]:
            if len(path) == 1:
                yield b, e
            else:
                yield from find(b, e, path[1:])
for trak_b, trak_e in find(0, len(data), [b'moov', b'trak']):
    hdlr = next(find(trak_b, trak_e, [b'mdia', b'hdlr']))[0]
    if data[hdlr + 8:hdlr + 12] != b'vide':
        continue
    tkhd_b, _ = next(find(trak_b, trak_e, [b'tkhd']))
    version = data[tkhd_b]
    tkhd_len = 96 if version == 1 else 84  # width and height (16.16 fixed point) are its last 8 bytes
    width, height = (v >> 16 for v in struct.unpack('>II', data[tkhd_b + tkhd_len - 8:tkhd_b + tkhd_len]))
    mdhd_b, _ = next(find(trak_b, trak_e, [b'mdia', b'mdhd']))
    timescale = struct.unpack('>I', data[mdhd_b + (12 if data[mdhd_b] == 0 else 20):][:4])[0]
    stts_b, _ = next(find(trak_b, trak_e, [b'mdia', b'minf', b'stbl', b'stts']))
    n = struct.unpack('>I', data[stts_b + 4:stts_b + 8])[0]
    durations = []
    for i in range(n):
        count, delta = struct.unpack('>II', data[stts_b + 8 + 8 * i:stts_b + 16 + 8 * i])
        durations += [delta * 1_000_000 // timescale] * count
    json.dump({'frames': len(durations), 'width': width, 'height': height,
               'frame_durations_us': durations}, open(sys.argv[2], 'w'))
    break
PY
echo "video samples in $out: $(ls "$out" | tr '\n' ' ')"
