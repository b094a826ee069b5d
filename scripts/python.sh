#!/usr/bin/env bash
# Builds and installs the Python package into a fresh virtual environment
# and runs its pytest suite (what .ci/run calls).
#   bash scripts/python.sh            # venv in $TMPDIR, removed afterwards
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "$root/python" pytest "dask[array,distributed]"
cd "$root/python"
# `pytest` (not `python -m pytest`): the source tree must not shadow the installed package.
"$venv/bin/pytest" -q tests
