#!/usr/bin/env bash
# Supply-chain checks of the workspace's dependency tree with cargo-deny (deny.toml): licences,
# bans and sources always; security advisories when the RustSec database can be fetched (it
# lives on github.com, which the project's build machines cannot reach: then this script says
# that advisories were NOT checked, loudly, and checks the rest).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
bootstrap deny
cargo deny --log-level error check licenses bans sources
if timeout 120 cargo deny --log-level error fetch db >/dev/null 2>&1; then
    cargo deny --log-level error check advisories
else
    echo "deny: ADVISORIES NOT CHECKED: the RustSec advisory database (github.com/rustsec/advisory-db)"
    echo "deny: could not be fetched from this machine; run 'cargo deny check advisories' where it can."
fi
