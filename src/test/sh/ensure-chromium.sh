#!/usr/bin/env bash
# Makes sure Debian's chromium and chromedriver are installed for the admin console's browser tests (ConsoleIT):
# uses the installed ones, else installs Debian's packages (needs root). The browser never comes from anywhere else.
set -u
have() { command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ]; }
have && { echo "chromium: $(chromium --version 2>/dev/null | head -n 1)"; exit 0; }
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "chromium: installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null \
    || { echo "chromium: install failed" >&2; exit 1; }
  have && exit 0
fi
echo "chromium: not installed and it could not be installed (ConsoleIT needs chromium and /usr/bin/chromedriver)" >&2
exit 1
