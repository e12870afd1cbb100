#!/usr/bin/env bash
# Debian's MariaDB (what Open edX's MySQL stands for here) for the race tests, and what the
# mysqlclient driver needs to build (PyPI has no Linux wheel): client headers, pkg-config, a
# compiler, and Python's own headers when the interpreter lacks them ($PYTHON, default python3).
# No server is started here: the tests start a throw-away one of their own (tests/mariadb_server.py).
set -euo pipefail
packages=(mariadb-server mariadb-client default-libmysqlclient-dev pkg-config build-essential)
python="${PYTHON:-python3}"
if ! "$python" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
    packages+=(python3-dev)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing Debian's ${missing[*]} for the MariaDB tests..."
install() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
# One `apt-get update`: when the package lists don't know the packages yet, or an install from
# the lists there are fails (stale lists).
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    install
else
    install || { $SUDO apt-get update -qq && install; }
fi
