#!/usr/bin/env bash
# scikit-learn's digits data (Debian `python3-sklearn`; 1,797 8x8 images of handwritten digits, pixel
# values 0..16; the UCI optdigits test set) as CSV for the classifier path of `dpvideo classify` and the
# reproduction of Esipova et al. (docs/fairness.md section 7). Writes into $1/digits/:
#   digits.csv      all 1,797 examples: label, px0..px63
#   test.csv        a stratified 25% of every class (450 examples), fixed seed
#   train-full.csv  the other 75% (1,347 examples)
#   train.csv       train-full with class 8 kept at 10% of its examples (the rare class, as the paper's
#                   MNIST experiment keeps class 8 at about 9%): 1,230 examples, 13 of class 8
# The split uses numpy's legacy RandomState(20230401), whose streams numpy keeps stable across versions.
# Idempotent: files are written to temporaries and renamed; an existing complete set is kept.
set -euo pipefail
out="$1/digits"
version="digits-v1"
if [[ -f "$out/VERSION" && "$(cat "$out/VERSION")" == "$version" ]]; then
  echo "40-digits: $out is up to date"
  exit 0
fi
py=/usr/bin/python3
[[ -x "$py" ]] || py="$(command -v python3)"
if ! "$py" -c 'import sklearn, numpy' 2>/dev/null; then
  echo "40-digits: $py cannot import sklearn; install Debian's python3-sklearn (listed in .ci/apt-packages.txt)" >&2
  exit 1
fi
mkdir -p "$out"
"$py" - "$out" <<'PY'
import os, sys
import numpy as np
from sklearn.datasets import load_digits

out = sys.argv[1]
digits = load_digits()
x = digits.data.astype(int)
y = digits.target.astype(int)
rng = np.random.RandomState(20230401)
test_idx, train_idx, rare_keep = [], [], []
for c in range(10):
    idx = np.flatnonzero(y == c)
    idx = idx[rng.permutation(len(idx))]
    n_test = int(round(0.25 * len(idx)))
    test_idx.extend(idx[:n_test])
    train_idx.extend(idx[n_test:])
    if c == 8:
        rest = idx[n_test:]
        rare_keep = set(rest[:int(round(0.10 * len(rest)))].tolist())
test_idx = sorted(test_idx)
train_idx = sorted(train_idx)
rare_train = [i for i in train_idx if y[i] != 8 or i in rare_keep]

header = "label," + ",".join("px%d" % j for j in range(64)) + "\n"
def write(name, rows):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(header)
        for i in rows:
            f.write("%d,%s\n" % (y[i], ",".join(str(v) for v in x[i])))
    os.replace(tmp, os.path.join(out, name))

write("digits.csv", range(len(y)))
write("test.csv", test_idx)
write("train-full.csv", train_idx)
write("train.csv", rare_train)
counts = np.bincount(y[rare_train], minlength=10)
print("40-digits: %d test, %d train-full, %d train (class counts %s)" % (len(test_idx), len(train_idx),
      len(rare_train), counts.tolist()))
PY
printf '%s\n' "$version" > "$out/VERSION.tmp"
mv "$out/VERSION.tmp" "$out/VERSION"
