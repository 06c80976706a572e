#!/usr/bin/env bash
# A throwaway SoftHSM2 token for the PKCS#11 tests: a configuration and a token folder under a
# temporary directory, one token labelled dcc-test, selected by label (its slot number is
# random). Nothing outside the folder is touched.
#
#   eval "$(bash scripts/softhsm.sh init)"   prints the exports: SOFTHSM2_CONF,
#                                             DCC_TEST_PKCS11_MODULE, DCC_TEST_PKCS11_TOKEN,
#                                             DCC_TEST_PKCS11_PIN, SOFTHSM_DIR
#   bash scripts/softhsm.sh stop "$SOFTHSM_DIR"
set -euo pipefail
module=""
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so; do
    [ -f "$m" ] && module="$m" && break
done
if [ -z "$module" ] || ! command -v softhsm2-util >/dev/null 2>&1; then
    echo "softhsm.sh: SoftHSM2 is not installed (bash scripts/bootstrap.sh hsm)" >&2
    exit 2
fi
case "${1:-init}" in
init)
    dir="$(mktemp -d /tmp/dcc-softhsm.XXXXXX)"
    mkdir -p "$dir/tokens"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir" >"$dir/softhsm2.conf"
    # Test PINs of a throwaway token, not secrets.
    SOFTHSM2_CONF="$dir/softhsm2.conf" softhsm2-util --init-token --free --label dcc-test \
        --so-pin 5678 --pin 1234 >/dev/null
    echo "export SOFTHSM2_CONF=$dir/softhsm2.conf DCC_TEST_PKCS11_MODULE=$module DCC_TEST_PKCS11_TOKEN=dcc-test DCC_TEST_PKCS11_PIN=1234 SOFTHSM_DIR=$dir"
    ;;
stop)
    rm -rf "${2:?softhsm.sh stop DIR}"
    ;;
*)
    echo "softhsm.sh: init | stop DIR" >&2
    exit 2
    ;;
esac
