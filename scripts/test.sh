#!/usr/bin/env bash
# The test suite: installs missing system packages, then builds and runs every unit and CLI
# test. Needs nothing outside the repository (fixtures are committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build --build-tests
# XCTest only: no target uses Swift Testing, whose empty "0 tests" summary would otherwise
# close the log and read as if nothing ran.
swift test --skip-build --disable-swift-testing
