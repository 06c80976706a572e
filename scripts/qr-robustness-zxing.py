"""Reads the robustness corpus of dcc-qr with zxing-cpp and prints the read rate per class.

Usage: python3 qr-robustness-zxing.py DIR   (DIR written by
`cargo run -p dcc-qr --release --example robustness_corpus write DIR`, with manifest.tsv)
A read counts when zxing-cpp returns a QR code whose text is the expected text exactly.
"""

import importlib.metadata
import sys
import time
from collections import OrderedDict
from pathlib import Path

import zxingcpp
from PIL import Image


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "qr-corpus")
    rows = (folder / "manifest.tsv").read_text().splitlines()[1:]
    classes: "OrderedDict[str, list[int]]" = OrderedDict()
    failures = []
    start = time.perf_counter()
    for row in rows:
        name, cls, text = row.split("\t")
        stat = classes.setdefault(cls, [0, 0])
        stat[0] += 1
        with Image.open(folder / name) as img:
            results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        if any(r.text == text for r in results):
            stat[1] += 1
        else:
            failures.append(name)
    took = time.perf_counter() - start
    total = sum(s[0] for s in classes.values())
    read = sum(s[1] for s in classes.values())
    print(f"zxing-cpp {importlib.metadata.version('zxing-cpp')}")
    print("| class | images | read | rate |")
    print("| --- | ---: | ---: | ---: |")
    for cls, (n, ok) in classes.items():
        print(f"| {cls} | {n} | {ok} | {100 * ok / n:.1f} % |")
    print(f"| all | {total} | {read} | {100 * read / total:.1f} % |")
    print(f"{took * 1000 / max(total, 1):.1f} ms per image")
    for name in failures:
        print(f"not read: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
