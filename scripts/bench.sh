#!/usr/bin/env bash
# Load run: a Release host and a durable private PostgreSQL on 127.0.0.1, a pgbench baseline,
# then unique UIS notifications flat out and at fixed offered rates. About 2 minutes; bounded.
# Usage: bash scripts/bench.sh [--seconds 20] [--concurrency 32] [--rates 200,500] [--popup-rate 200]
#        bash scripts/bench.sh --rebuild [--events 1000000]   (rebuild speed of the call history)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build -c Release src/Host -v q -nologo >/dev/null
dotnet build -c Release tests/LoadHarness -v q -nologo >/dev/null
timeout 900 dotnet tests/LoadHarness/bin/Release/net10.0/LoadHarness.dll "$@" 2> >(grep -v '^host: ' >&2)
