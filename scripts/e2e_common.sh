# Shell helpers the e2e-*.sh scripts share (their Python checkers share e2e_common.py).

expect_status() {  # expect_status WANTED command...: runs the command, fails the script unless it exits WANTED
    local wanted=$1; shift
    set +e; "$@"; local got=$?; set -e
    [ "$got" -eq "$wanted" ] || { echo "e2e: FAIL: expected exit $wanted, got $got: $*" >&2; exit 1; }
}
