#!/usr/bin/env bash
# Installs the Debian packages hubsync needs to build, test and run, only when some are missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libboost-dev libboost-program-options-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libpqxx-dev libssl-dev libxxhash-dev catch2
  postgresql postgresql-contrib curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "hubsync: installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "hubsync: these packages are missing and I am not root (and there is no sudo): ${missing[*]}" >&2
    echo "hubsync: install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq; then
  echo "hubsync: apt-get update failed; check the network or your apt sources" >&2; exit 1
fi
if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "hubsync: apt-get install failed for: ${missing[*]}" >&2; exit 1
fi
