#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the repository's
own test data: the official dgc-testdata vectors (tests/vectors/dgc-testdata), the bad-input
table (tests/golden/bad-inputs.json), the trust lists, business rules, CertLogic suites and
revocation vectors under tests/vectors, and the example payloads. Deterministic: files are named
by the SHA-1 of their content (libFuzzer's convention), so rerunning adds nothing new.

    python3 fuzz/seeds.py            # then: bash scripts/fuzz.sh
"""
import base64, hashlib, json, pathlib, sys, zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
counts = {}


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > 200_000:
        return
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    p = d / hashlib.sha1(data).hexdigest()
    if not p.exists():
        p.write_bytes(data)
        counts[target] = counts.get(target, 0) + 1


def main():
    raw = sorted((ROOT / "tests/vectors/dgc-testdata").glob("*/2DCode/raw/*.json"))
    images = 0
    for path in raw:
        try:
            v = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError):
            continue
        if v.get("PREFIX"):
            put("hc1", v["PREFIX"])
            put("issue_mutate", v["PREFIX"][:64])
        if v.get("BASE45"):
            put("base45", v["BASE45"])
        for key, target in (("COMPRESSED", "zlib"), ("COSE", "cose"), ("CBOR", "cose")):
            try:
                put(target, bytes.fromhex(v.get(key) or ""))
            except ValueError:
                pass
        if isinstance(v.get("JSON"), (dict, list)):
            put("payload", json.dumps(v["JSON"], ensure_ascii=False))
        cert = (v.get("TESTCTX") or {}).get("CERTIFICATE")
        if cert:
            put("dsc", cert)
            put("dsc", "-----BEGIN CERTIFICATE-----\n" + cert + "\n-----END CERTIFICATE-----\n")
        # Every 8th QR image (they are 2-10 KB each; the corpus stays small).
        if v.get("2DCODE") and images % 8 == 0:
            try:
                put("image", base64.b64decode(v["2DCODE"]))
            except ValueError:
                pass
        images += 1 if v.get("2DCODE") else 0
    bad = json.loads((ROOT / "tests/golden/bad-inputs.json").read_text())
    for case in bad["cases"]:
        kind, inp = case["kind"], case["input"]
        if kind == "hc1" and isinstance(inp, str):
            put("hc1", inp)
        elif kind == "image" and isinstance(inp, str):
            try:
                put("image", base64.b64decode(inp))
            except ValueError:
                pass
        elif kind in ("key", "certificate") and isinstance(inp, str):
            put("dsc", inp)
        elif kind == "issue" and isinstance(inp, dict):
            put("payload", json.dumps(inp.get("payload"), ensure_ascii=False))
    for f in sorted((ROOT / "examples").glob("*.json")):
        put("payload", f.read_bytes())
    put("dsc", (ROOT / "tests/golden/dsc-es256.pem").read_bytes())
    put("dsc", (ROOT / "tests/golden/dsc-ps256.pem").read_bytes())
    # Base45 and zlib edge cases.
    for s in ("", "00", "GGW", "FGW", "ZZZ", "%69 VD92EX0", "QED8WEX0"):
        put("base45", s or "0")
    for data in (b"", b"a" * 1000, bytes(range(256)) * 4):
        put("zlib", zlib.compress(data, 9))
    # Trust lists: German (signed text), Swiss (JWTs, the update list as companion).
    tl = ROOT / "tests/vectors/trustlists"
    de = (tl / "de/dsc-list.txt").read_bytes()
    put("trust_list", de[:150_000])
    put("trust_list", de[:4_000])
    for jwt in sorted((tl / "ch").glob("*.jwt")):
        put("trust_list", jwt.read_bytes()[:150_000])
    # Rules: the whole set and each rule alone.
    rules = json.loads((ROOT / "tests/vectors/rules/covpass-eu-rules.json").read_text())
    for r in rules if isinstance(rules, list) else [rules]:
        put("rules", json.dumps(r, ensure_ascii=False))
    # CertLogic: every test case's expression and data, NUL-separated.
    for f in sorted((ROOT / "tests/vectors/certlogic/testSuite").glob("*.json")):
        suite = json.loads(f.read_text())
        for case in suite.get("cases", []):
            expr = case.get("certLogicExpression")
            if expr is None:
                continue
            data = case.get("data", {})
            put("certlogic", json.dumps(expr) + "\0" + json.dumps(data))
            for a in case.get("assertions", []):
                put("certlogic", json.dumps(expr) + "\0" + json.dumps(a.get("data", {})))
    # Revocation: hash batches and Bloom filters as the vectors give them.
    rv = ROOT / "tests/vectors/revocation"
    for f in sorted(rv.glob("*.json")):
        put("revocation", f.read_bytes()[:150_000])
    for t in sorted(counts):
        print(f"{t}: {counts[t]} new seeds")


if __name__ == "__main__":
    sys.exit(main())
