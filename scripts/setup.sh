#!/usr/bin/env bash
# Installs what this service needs on a fresh Debian machine: PostgreSQL server binaries.
# The .NET SDK is expected on PATH (dotnet 10).
set -euo pipefail

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is missing: install it (https://dot.net) and run this again." >&2
  exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries are missing: run 'sudo apt-get install -y postgresql-15' (or postgresql)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3; do apt-get update -q && break || sleep 5; done
  apt-get install -y -q postgresql-15 || apt-get install -y -q postgresql
fi

# The browser tests drive Debian's Chromium (Playwright is told its path; nothing is downloaded).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing (browser tests): run 'sudo apt-get install -y chromium'." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3; do apt-get update -q && break || sleep 5; done
  for attempt in 1 2 3; do apt-get install -y -q chromium && break || sleep 10; done
fi
