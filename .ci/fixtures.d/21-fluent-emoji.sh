#!/usr/bin/env bash
# A small slice of the Fluent Emoji animated stickers (MIT) for the tokenizer tests: npm pack of
# @lobehub/fluent-emoji-anim-1, integrity checked against the registry's sha512, then 48 untoned
# animated stickers, the five skin tones of one gesture and two still images are copied out (~8 MB).
# Also writes, with Debian's python3-pil (libwebp), the independent oracles of the WebP tests: composited
# frames of one animated sticker (WebPAnimDecoder) and each of its first 8 frames decoded alone from its
# ANMF payload (so compositing can be checked exactly, apart from the frame decoder).
# Usage: bash .ci/fixtures.d/21-fluent-emoji.sh FIXTURES_DIR   (idempotent; needs npm and python3-pil)
set -euo pipefail
out="$1/fluent-emoji"
pkg="@lobehub/fluent-emoji-anim-1"
if [[ -f "$out/reference/done" ]]; then
  exit 0
fi
mkdir -p "$out/anim-1" "$out/reference"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$pkg" >/dev/null 2>&1)
tarball="$(ls "$work"/*.tgz)"
expected="$(npm view "$pkg" dist.integrity 2>/dev/null)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$expected" != "$actual" ]]; then
  echo "integrity mismatch for $pkg: registry says $expected, tarball is $actual" >&2
  exit 1
fi
tar xzf "$tarball" -C "$work"
python3 - "$work/package/assets" "$out/anim-1" <<'PY'
import os, shutil, struct, sys
src, dst = sys.argv[1], sys.argv[2]
def animated(path):
    d = open(path, 'rb').read(64)
    return d[12:16] == b'VP8X' and (d[20] & 0x02) != 0
tones = ['1f3fb', '1f3fc', '1f3fd', '1f3fe', '1f3ff']
names = sorted(n for n in os.listdir(src) if n.endswith('.webp'))
untoned = [n for n in names if animated(os.path.join(src, n)) and not any(t in n for t in tones)][:48]
toned = ['1f385-%s.webp' % t for t in tones]
still = [n for n in names if not animated(os.path.join(src, n))][:2]
for n in untoned + toned + still:
    shutil.copy(os.path.join(src, n), os.path.join(dst, n))
PY
cp "$work/package/package.json" "$out/anim-1/package.json"

/usr/bin/python3 - "$out/anim-1/1f385-1f3fb.webp" "$out/reference" <<'PY'
import json, os, sys
from PIL import Image, features
assert features.check('webp_anim'), 'python3-pil lacks animated WebP support'
im = Image.open(sys.argv[1])
durations = []
for i in range(im.n_frames):
    im.seek(i)
    im.load()
    durations.append(im.info.get('duration'))
    if i in (0, 1, 7, 40):
        im.convert('RGBA').save(os.path.join(sys.argv[2], '1f385-1f3fb.frame%d.png' % i))
# Each of the first 8 ANMF frames re-wrapped as a standalone WebP and decoded alone (no compositing).
import io, struct
data = open(sys.argv[1], 'rb').read()
pos, k = 12, 0
while pos + 8 <= len(data) and k < 8:
    fourcc, size = data[pos:pos + 4], struct.unpack('<I', data[pos + 4:pos + 8])[0]
    body = data[pos + 8:pos + 8 + size]
    if fourcc == b'ANMF':
        w = 1 + int.from_bytes(body[6:9], 'little'); h = 1 + int.from_bytes(body[9:12], 'little')
        vp8x = b'VP8X' + struct.pack('<I', 10) + bytes([0x10, 0, 0, 0]) + (w - 1).to_bytes(3, 'little') \
            + (h - 1).to_bytes(3, 'little')
        riff = b'WEBP' + vp8x + body[16:]
        Image.open(io.BytesIO(b'RIFF' + struct.pack('<I', len(riff)) + riff)).convert('RGBA').save(
            os.path.join(sys.argv[2], '1f385-1f3fb.anmf%d.png' % k))
        k += 1
    pos += 8 + size + (size & 1)
json.dump({'file': '1f385-1f3fb.webp', 'frames': im.n_frames, 'width': im.size[0], 'height': im.size[1],
           'frame_durations_ms': durations, 'loop': im.info.get('loop'), 'reference_frames': [0, 1, 7, 40],
           'decoder': 'PIL %s with libwebp WebPAnimDecoder' % Image.__version__},
          open(os.path.join(sys.argv[2], '1f385-1f3fb.json'), 'w'))
PY
touch "$out/reference/done"
echo "fluent emoji slice in $out: $(ls "$out/anim-1" | wc -l) files"
