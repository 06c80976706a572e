#!/usr/bin/env python3
"""Checks that the generated Swift (and Kotlin) sources are complete.

Swift cannot be compiled on Linux, so this is the Swift check CI can run:

1. Every item exported by the library, read from the UniFFI metadata symbols of the unstripped
   cdylib (UNIFFI_META_<CRATE>_<KIND>_<NAME>: functions, constructors, methods, records, enums,
   errors, objects, foreign traits, exported Rust traits), has its declaration in the generated
   source: a top-level `func`, a `static func`/`init` or `func` inside its type, a `struct`, an
   `enum`, a `class`/`protocol`, a `debugDescription`.
2. Every FFI function the library exports (`nm -D`) is declared in the C header and called from
   the Swift (and Kotlin) source: nothing is left unwired.
3. The fields of every record and the cases of every enum and error are the same in Swift as in
   the Kotlin source, which is compiled and tested (so a partial Swift type is caught too).
4. With --operations: every name of the swift and kotlin columns of `api/operations.json`
   (`Type.member`: a method or named constructor of the type; a bare name: a top-level
   function) is declared in that language's source.

The same checks run on the Kotlin source, which proves the checker on a language whose output is
compiled and exercised; --self-test additionally removes items from the Swift source and expects
the checker to report each one.

Usage: check_bindings.py --lib LIB --crate dcc_ffi --swift DccKit.swift --header DccKitFFI.h
                         --kotlin dcc_ffi.kt [--operations operations.json] [--self-test]
"""

import argparse
import json
import re
import subprocess
import sys


def norm(name):
    return name.replace("_", "").replace("`", "").lower()


# --- reading the library ----------------------------------------------------------------------

KINDS = ["FUNC", "CONSTRUCTOR", "METHOD", "RECORD", "ENUM", "ERROR", "INTERFACE",
         "CALLBACK_INTERFACE", "UNIFFI_TRAIT", "OBJECT", "TRAIT_INTERFACE"]


def nm(args, lib):
    out = subprocess.run(["nm", *args, lib], check=True, capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.split()]


def metadata_items(lib, crate):
    """(kind, owner, name) for every UNIFFI_META symbol of `crate`; owner is '' for top level."""
    prefix = "UNIFFI_META_" + crate.upper() + "_"
    items = set()
    for sym in nm([], lib):
        if not sym.startswith(prefix):
            continue
        rest = sym[len(prefix):]
        kind = next((k for k in sorted(KINDS, key=len, reverse=True) if rest.startswith(k + "_")), None)
        if kind is None:
            raise SystemExit(f"check_bindings: unknown metadata symbol {sym}")
        rest = rest[len(kind) + 1:]
        if kind in ("CONSTRUCTOR", "METHOD", "UNIFFI_TRAIT"):
            # Type names are UpperCamelCase upper-cased (no underscore); member names are snake.
            owner, _, name = rest.partition("_")
            items.add((kind, owner, name))
        else:
            items.add((kind, "", rest))
    if not items:
        raise SystemExit(f"check_bindings: no UniFFI metadata in {lib} (stripped?)")
    return items


def ffi_symbols(lib, crate):
    return sorted(s for s in nm(["-D", "--defined-only"], lib)
                  if s.startswith(f"uniffi_{crate}_") or s.startswith(f"ffi_{crate}_"))


# --- reading the sources ----------------------------------------------------------------------

def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def matching(text, start, open_ch, close_ch):
    """Index just past the bracket that closes the one at `start`."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


class Source:
    DECL = {
        "swift": r"\b(class|struct|enum|protocol|extension)\s+(\w+)\b",
        "kotlin": r"\b(class|interface|object)\s+`?(\w+)`?",
    }
    FUNC = {
        "swift": r"\bfunc\s+`?(\w+)`?\s*\(",
        "kotlin": r"\bfun\s+`?(\w+)`?\s*\(",
    }

    def __init__(self, lang, text):
        self.lang = lang
        self.text = strip_comments(text)
        # (kind, name, header_start, body_start, body_end) of every type declaration.
        self.decls = []
        for m in re.finditer(self.DECL[lang], self.text):
            brace = self.body_start(m.end())
            if brace is None:
                continue  # `object NoHandle`, `class ByValue : Base()`: no body
            self.decls.append((m.group(1), m.group(2), m.start(), brace, matching(self.text, brace, "{", "}")))
        # Text outside every type body: where top-level functions live.
        mask = list(self.text)
        for _, _, _, start, end in self.decls:
            for i in range(start, end):
                mask[i] = " "
        self.top_level = "".join(mask)

    def body_start(self, i):
        """Index of the `{` opening the body of the declaration whose header starts at `i`."""
        depth = 0
        text = self.text
        while i < len(text):
            c = text[i]
            if c in "(<":
                depth += 1
            elif c in ")>":
                depth -= 1
            elif depth <= 0 and c == "{":
                return i
            elif depth <= 0 and c == "\n":
                rest = text[i:].lstrip()
                if not rest or rest[0] not in "{:,":
                    return None
            i += 1
        return None

    def blocks(self, name, kinds=None):
        """Header-to-end text of every declaration of the type `name` (normalised)."""
        return [self.text[h:e] for k, n, h, _, e in self.decls
                if norm(n) == norm(name) and (kinds is None or k in kinds)]

    def funcs(self, text):
        return {norm(n) for n in re.findall(self.FUNC[self.lang], text)}

    def top_funcs(self):
        return self.funcs(self.top_level)

    def declared(self, name, kinds=None):
        return bool(self.blocks(name, kinds))

    # Records, enums and errors, for comparing Swift with Kotlin.

    def record_fields(self, name):
        if self.lang == "kotlin":
            for k, n, h, _, _ in self.decls:
                if norm(n) == norm(name) and k == "class":
                    paren = self.text.find("(", h)
                    params = self.text[paren:matching(self.text, paren, "(", ")")]
                    return sorted(norm(f) for f in re.findall(r"\bva[lr]\s+`?(\w+)`?\s*:", params))
            return None
        for block in self.blocks(name, {"struct"}):
            return sorted(norm(f) for f in re.findall(r"\bpublic\s+(?:let|var)\s+`?(\w+)`?\s*:", block))
        return None

    def variants(self, name):
        if self.lang == "kotlin":
            for k, n, h, b, e in self.decls:
                if norm(n) != norm(name) or k != "class":
                    continue
                header = self.text[h:b]
                body = self.text[b + 1:e - 1]
                if re.search(r"\benum\s+class\b", self.text[max(0, h - 10):b]) or "enum" in header:
                    entries = body.split(";")[0]
                    return sorted(norm(v) for v in re.findall(r"^\s*(\w+)\s*[,;]?\s*$", entries + "\n", re.M))
                # sealed class: nested classes/objects that extend it
                return sorted(norm(v) for v in re.findall(
                    r"\b(?:data\s+class|class|object)\s+`?(\w+)`?[^{]*?:\s*" + re.escape(n) + r"\(\)",
                    body, re.S))
            return None
        for block in self.blocks(name, {"enum"}):
            found = re.findall(r"(?m)^\s*case\s+`?([A-Za-z_]\w*)`?", block)
            return sorted(norm(v) for v in found if v not in ("let", "var"))
        return None


# --- the checks -------------------------------------------------------------------------------

def check_items(src, items):
    """Names of metadata items missing from `src`."""
    missing = []
    lang = src.lang
    type_kinds = {"swift": {"class", "struct", "enum", "protocol"}, "kotlin": {"class", "interface"}}[lang]

    def type_name(owner):
        # UniFFI Kotlin renames FooError to FooException.
        if lang == "kotlin" and owner.endswith("ERROR"):
            if src.declared(owner[:-5] + "EXCEPTION"):
                return owner[:-5] + "EXCEPTION"
        return owner

    for kind, owner, name in sorted(items):
        label = f"{kind} {owner + '.' if owner else ''}{name}"
        if kind == "FUNC":
            ok = norm(name) in src.top_funcs()
        elif kind in ("RECORD", "ENUM", "ERROR", "INTERFACE", "CALLBACK_INTERFACE", "OBJECT",
                      "TRAIT_INTERFACE"):
            ok = src.declared(type_name(name), type_kinds)
        elif kind in ("CONSTRUCTOR", "METHOD"):
            blocks = src.blocks(type_name(owner))
            text = "\n".join(blocks)
            if kind == "CONSTRUCTOR" and norm(name) == "new":
                pattern = r"\bconvenience\s+init\s*\(" if lang == "swift" else r"\bconstructor\s*\(\s*`"
                ok = bool(re.search(pattern, text))
            else:
                ok = norm(name) in src.funcs(text)
        elif kind == "UNIFFI_TRAIT":
            text = "\n".join(src.blocks(type_name(owner)))
            pattern = {
                ("swift", "DEBUG"): r"\bvar\s+debugDescription\s*:",
                ("swift", "DISPLAY"): r"\bvar\s+description\s*:",
                ("swift", "EQ"): r"\bstatic\s+func\s+==",
                ("swift", "HASH"): r"\bfunc\s+hash\s*\(",
                ("swift", "ORD"): r"\bstatic\s+func\s+<",
                ("kotlin", "DEBUG"): r"\boverride\s+fun\s+toString\s*\(",
                ("kotlin", "DISPLAY"): r"\boverride\s+fun\s+toString\s*\(",
                ("kotlin", "EQ"): r"\boverride\s+fun\s+equals\s*\(",
                ("kotlin", "HASH"): r"\boverride\s+fun\s+hashCode\s*\(",
                ("kotlin", "ORD"): r"\boverride\s+fun\s+compareTo\s*\(",
            }.get((lang, name))
            ok = pattern is not None and re.search(pattern, text) is not None
        else:
            ok = False
        if not ok:
            missing.append(label)
    return missing


def unchecked_checksums(symbols, items, crate):
    """Checksum functions UniFFI 0.32 exports but no generator calls: those of methods on
    enums, errors and records (the generators verify checksums only for functions, objects and
    traits). The methods themselves are still required to be wired."""
    value_types = {name.lower() for kind, _, name in items if kind in ("ENUM", "ERROR", "RECORD")}
    prefix = f"uniffi_{crate}_checksum_method_"
    return {s for s in symbols
            if s.startswith(prefix) and s[len(prefix):].split("_")[0] in value_types}


def check_ffi(src_text, symbols, what, skip):
    return [f"{what} does not use {s}" for s in symbols
            if (s.startswith("uniffi_") or s.endswith("_uniffi_contract_version"))
            and s not in skip and s not in src_text]


def check_header(header, symbols, skip):
    return [f"header does not declare {s}" for s in symbols
            if s not in skip and not re.search(r"\b" + re.escape(s) + r"\s*\(", header)]


def compare_shapes(swift, kotlin, items):
    problems = []
    for kind, _, name in sorted(items):
        if kind == "RECORD":
            a, b = swift.record_fields(name), kotlin.record_fields(name)
            what = "fields"
        elif kind in ("ENUM", "ERROR"):
            kname = name[:-5] + "EXCEPTION" if kind == "ERROR" and kotlin.declared(name[:-5] + "EXCEPTION") else name
            a, b = swift.variants(name), kotlin.variants(kname)
            if kind == "ERROR" and b:
                # UniFFI's Kotlin names an error case ending in `Error` `...Exception`
                # (`Pkcs11DeviceError` -> `DccException.Pkcs11DeviceException`).
                b = sorted(v[:-len("exception")] + "error" if v.endswith("exception") else v for v in b)
            what = "cases"
        else:
            continue
        if not a or not b or a != b:
            problems.append(f"{kind} {name}: Swift {what} {a} != Kotlin {what} {b}")
    return problems


def check_operations(table, sources):
    """Names of api/operations.json missing from the Swift or Kotlin source."""
    problems = []
    for op in json.load(open(table, encoding="utf-8"))["operations"]:
        for src in sources:
            name = op[src.lang]
            if name == "-":  # the operation does not exist in this language
                continue
            owner, _, member = name.rpartition(".")
            text = "\n".join(src.blocks(owner)) if owner else src.top_level
            if norm(member) not in src.funcs(text):
                problems.append(f"{src.lang}: {name} ({op['operation']} in api/operations.json) is missing")
    return problems


_cache = {}


def run(args, swift_text):
    if not _cache:
        _cache["items"] = metadata_items(args.lib, args.crate)
        _cache["symbols"] = ffi_symbols(args.lib, args.crate)
        _cache["kotlin"] = Source("kotlin", open(args.kotlin, encoding="utf-8").read())
        _cache["header"] = open(args.header, encoding="utf-8").read()
    items, symbols, kotlin, header = (_cache[k] for k in ("items", "symbols", "kotlin", "header"))
    swift = Source("swift", swift_text)
    problems = []
    problems += [f"Swift: missing {m}" for m in check_items(swift, items)]
    problems += [f"Kotlin: missing {m}" for m in check_items(kotlin, items)]
    skip = unchecked_checksums(symbols, items, args.crate)
    problems += check_ffi(swift_text, symbols, "Swift", skip)
    problems += check_ffi(kotlin.text, symbols, "Kotlin", skip)
    problems += check_header(header, symbols, skip)
    problems += compare_shapes(swift, kotlin, items)
    if args.operations:
        problems += check_operations(args.operations, [swift, kotlin])
    return items, symbols, problems


def self_test(args, swift_text):
    """Each mutation must be reported: the checker can fail."""
    mutations = [
        ("top-level function", r"public func decode\(", "public func decodeRenamed("),
        ("method", r"open func verifyImage\(", "open func verifyImageRenamed("),
        ("constructor", r"public static func fromSigner\(", "public static func fromSignerRenamed("),
        ("record method", r"public func ensureValid\(", "public func ensureValidRenamed("),
        ("record field", r"public let payload: String", "public let payloadText: String"),
        ("error case", r"case InvalidBase45\(", "case InvalidBase45Renamed("),
        ("record", r"public struct Claims\b", "public struct ClaimsRenamed"),
        ("trait method", r"func sign\(tbs: Data\)", "func signRenamed(tbs: Data)"),
        ("Debug trait", r"debugDescription", "debugDescriptionRenamed"),
        ("operation", r"open func issueBatch\(", "open func issueMany("),
    ]
    failures = []
    for label, pattern, replacement in mutations:
        mutated, n = re.subn(pattern, replacement, swift_text)
        if n == 0:
            failures.append(f"self-test: pattern for {label} not found ({pattern})")
            continue
        _, _, problems = run(args, mutated)
        if not problems:
            failures.append(f"self-test: removing a {label} went unnoticed")
    return len(mutations), failures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lib", required=True)
    p.add_argument("--crate", required=True)
    p.add_argument("--swift", required=True)
    p.add_argument("--header", required=True)
    p.add_argument("--kotlin", required=True)
    p.add_argument("--operations", help="api/operations.json: check its swift and kotlin names")
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args()
    swift_text = open(args.swift, encoding="utf-8").read()

    items, symbols, problems = run(args, swift_text)
    for line in problems:
        print("check_bindings:", line)
    counts = {}
    for kind, _, _ in items:
        counts[kind] = counts.get(kind, 0) + 1
    summary = ", ".join(f"{n} {k.lower()}" for k, n in sorted(counts.items()))
    if problems:
        print(f"check_bindings: {len(problems)} problem(s)")
        sys.exit(1)
    print(f"Swift and Kotlin sources complete: {len(items)} exported items ({summary}), "
          f"{len(symbols)} FFI symbols, record fields and enum cases equal in both"
          + (", every api/operations.json name present" if args.operations else ""))
    if args.self_test:
        n, failures = self_test(args, swift_text)
        for line in failures:
            print("check_bindings:", line)
        if failures:
            sys.exit(1)
        print(f"checker self-test: {n} removals from the Swift source, each reported")


if __name__ == "__main__":
    main()
