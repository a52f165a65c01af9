#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests (screenshots, axe-core).
# Browser tests skip with a reason only where neither exists and we cannot install them.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and chromium-driver for the browser tests..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
else
  echo "note: chromium/chromedriver not found and not root; browser tests will be skipped" >&2
fi
exit 0
