#!/usr/bin/env bash
# The test suite: installs missing system packages, then builds and runs every unit and CLI
# test. Needs nothing outside the repository (fixtures are committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build --build-tests
swift test --skip-build
