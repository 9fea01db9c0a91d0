#!/usr/bin/env bash
# Installs the system libraries curate links against, if any is missing (Debian/Ubuntu, as root
# or with sudo). Sourced by demo.sh and test.sh so that each is a one-command setup.
set -euo pipefail

needed=(libsqlite3-dev libxml2-dev libopenblas-dev zlib1g-dev libzstd-dev)
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "curate: installing system packages: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
