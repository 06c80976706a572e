// Writes certlogic-js-outcomes.txt: what certlogic-js makes of every real rule
// (tests/vectors/rules) on every official payload (tests/vectors/dgc-testdata, field "JSON") at
// the two validation times of tests/rules.rs, with the same `external` object.
//
//   node certlogic-js-outcomes.js DIR > certlogic-js-outcomes.txt
//
// DIR holds node_modules/certlogic-js (scripts/bench-certlogic.sh installs one into the tool
// cache and prints its path).
"use strict";
const fs = require("fs");
const path = require("path");

const moduleDir = process.argv[2];
const certlogic = require(path.join(path.resolve(moduleDir), "node_modules", "certlogic-js"));
const root = path.join(__dirname, "..", "..", "..", "..");
const vectors = path.join(root, "tests", "vectors");

const rules = JSON.parse(fs.readFileSync(path.join(vectors, "rules", "covpass-eu-rules.json"), "utf8"));
const valueSets = {};
const vsDir = path.join(root, "crates", "dcc-payload", "data", "valuesets");
for (const f of fs.readdirSync(vsDir).filter((f) => f.endsWith(".json")).sort()) {
    const vs = JSON.parse(fs.readFileSync(path.join(vsDir, f), "utf8"));
    valueSets[vs.valueSetId] = Object.keys(vs.valueSetValues);
}

const testdata = path.join(vectors, "dgc-testdata");
const files = [];
const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".json")) files.push(p);
    }
};
walk(testdata);
const payloads = [];
for (const f of files) {
    let v;
    try {
        v = JSON.parse(fs.readFileSync(f, "utf8"));
    } catch (e) {
        continue;
    }
    const json = v && v.JSON;
    if (json && typeof json === "object" && !Array.isArray(json)) {
        payloads.push([path.relative(testdata, f).split(path.sep).join("/"), json]);
    }
}
payloads.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const issuer = (p) => {
    for (const k of ["v", "t", "r"]) {
        if (Array.isArray(p[k]) && p[k][0] && typeof p[k][0].co === "string") return p[k][0].co;
    }
    return "";
};
const fnv1a = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
};

const clocks = ["2021-12-01T12:00:00Z", "2023-06-01T12:00:00Z"];
const out = [
    `# certlogic-js ${certlogic.implementationVersion} (specification ${certlogic.specificationVersion}), node ${process.version}:`,
    `# ${rules.length} rules x ${payloads.length} payloads; per rule and clock the counts of true (P), false (F),`,
    "# errors (E) and other results (N), and the FNV-1a of the outcome letters in payload order.",
];
clocks.forEach((clock, ci) => {
    rules.forEach((rule, ri) => {
        let letters = "";
        for (const [, payload] of payloads) {
            const external = {
                validationClock: clock,
                valueSets,
                countryCode: rule.Country,
                issuerCountryCode: issuer(payload),
                exp: null,
                iat: null,
                kid: null,
                region: "",
            };
            let r;
            try {
                const v = certlogic.evaluate(rule.Logic, { payload, external });
                r = v === true ? "P" : v === false ? "F" : "N";
            } catch (e) {
                r = "E";
            }
            letters += r;
        }
        const n = (c) => letters.split("").filter((x) => x === c).length;
        out.push(`${ri} ${rule.Identifier} ${rule.Version} ${ci} P=${n("P")} F=${n("F")} E=${n("E")} N=${n("N")} ${fnv1a(letters)}`);
    });
});
process.stdout.write(out.join("\n") + "\n");
