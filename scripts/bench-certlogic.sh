#!/usr/bin/env bash
# CertLogic throughput: the 271 real rules (tests/vectors/rules) evaluated on one payload
# (examples/vaccination.json) by certlogic-js, the reference implementation on Node, and by
# dcc-certlogic (the criterion benchmark benches/benches/certlogic.rs), printed side by side.
# Not part of CI.
#
#   bash scripts/bench-certlogic.sh [--quick]
#
# certlogic-js is installed once (npm) into the tool cache, $TOOLS/certlogic-js-VERSION, which is
# checked first; crates/dcc-certlogic/tests/data/certlogic-js-outcomes.js uses the same folder.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust

CERTLOGIC_JS_VERSION=1.2.2
CERTLOGIC_JS_DIR="$TOOLS/certlogic-js-$CERTLOGIC_JS_VERSION"
QUICK=""
JS_RUNS=5
case "${1:-}" in
--quick) QUICK="--quick" JS_RUNS=3 ;;
"") ;;
*)
    echo "usage: bash scripts/bench-certlogic.sh [--quick]" >&2
    exit 2
    ;;
esac

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "bench-certlogic: node and npm are required (Node 18 or later)" >&2
    exit 2
fi
if [ ! -f "$CERTLOGIC_JS_DIR/node_modules/certlogic-js/package.json" ]; then
    echo "bench-certlogic: installing certlogic-js@$CERTLOGIC_JS_VERSION (npm) into $CERTLOGIC_JS_DIR"
    npm install --prefix "$CERTLOGIC_JS_DIR" --no-audit --no-fund --loglevel=error \
        "certlogic-js@$CERTLOGIC_JS_VERSION"
fi

step "certlogic-js $CERTLOGIC_JS_VERSION on Node $(node --version) ($CERTLOGIC_JS_DIR)"
js_rate="$(node - "$CERTLOGIC_JS_DIR" "$ROOT" "$JS_RUNS" <<'EOF'
"use strict";
const fs = require("fs");
const path = require("path");
const [moduleDir, root, runs] = process.argv.slice(2);
const { evaluate } = require(path.join(moduleDir, "node_modules", "certlogic-js"));
const rules = JSON.parse(fs.readFileSync(path.join(root, "tests/vectors/rules/covpass-eu-rules.json"), "utf8"));
const payload = JSON.parse(fs.readFileSync(path.join(root, "examples/vaccination.json"), "utf8"));
// The same external object as the Rust benchmark: the value sets the payload crate ships.
const valueSets = {};
const vsDir = path.join(root, "crates/dcc-payload/data/valuesets");
for (const f of fs.readdirSync(vsDir).filter((f) => f.endsWith(".json")).sort()) {
    const vs = JSON.parse(fs.readFileSync(path.join(vsDir, f), "utf8"));
    valueSets[vs.valueSetId] = Object.keys(vs.valueSetValues);
}
const data = {
    payload,
    external: {
        validationClock: "2021-12-01T12:00:00Z", valueSets, countryCode: "DE",
        issuerCountryCode: "AT", exp: null, iat: null, kid: null, region: "",
    },
};
// As a verifier does: an evaluation that throws is OPEN, not a crash.
const all = () => {
    let passed = 0;
    for (const rule of rules) {
        try {
            if (evaluate(rule.Logic, data) === true) passed++;
        } catch (e) {}
    }
    return passed;
};
for (let i = 0; i < 500; i++) all(); // JIT warm-up
const rates = [];
for (let r = 0; r < Number(runs); r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let now;
    do {
        all();
        n++;
        now = process.hrtime.bigint();
    } while (now - start < 1000000000n);
    rates.push((n * rules.length) / (Number(now - start) / 1e9));
}
rates.sort((a, b) => a - b);
console.error(`${rules.length} rules, ${all()} true; runs (rules/s): ${rates.map(Math.round).join(", ")}`);
console.log(Math.round(rates[Math.floor(rates.length / 2)]));
EOF
)"

step "dcc-certlogic (cargo bench -p dcc-benches --bench certlogic)"
bench_out="$(cargo bench -q -p dcc-benches --bench certlogic -- $QUICK '^certlogic/evaluate 271 rules$' 2>&1)"
echo "$bench_out" | grep -E '^certlogic/|^ +(time|thrpt):' | head -3
rust_rate="$(echo "$bench_out" | awk '
    /thrpt:/ && /elem\/s/ {
        gsub(/[\[\]]/, "");
        # thrpt: low unit mid unit high unit: take the middle estimate
        v = $4; u = $5;
        m = (u == "Gelem/s") ? 1e9 : (u == "Melem/s") ? 1e6 : (u == "Kelem/s") ? 1e3 : 1;
        printf "%.0f\n", v * m;
        exit
    }')"
if [ -z "$rust_rate" ]; then
    echo "bench-certlogic: no throughput in the criterion output" >&2
    exit 1
fi

step "271 real rules on one payload, bare evaluation"
printf '%-40s %12s rules/s\n' "certlogic-js $CERTLOGIC_JS_VERSION (Node $(node --version))" "$js_rate"
printf '%-40s %12s rules/s\n' "dcc-certlogic (criterion, middle)" "$rust_rate"
awk -v r="$rust_rate" -v j="$js_rate" 'BEGIN { printf "%-40s %12.1fx\n", "dcc-certlogic / certlogic-js", r / j }'
