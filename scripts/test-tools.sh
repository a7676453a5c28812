#!/usr/bin/env bash
# The Debian packages the test suite needs besides Node and npm, installed when missing:
#   chromium       the HTML report is opened in a real headless browser (test/reports/html-browser.test.ts)
#   poppler-utils  pdftotext reads the printed report back, page by page (no chart cut in half)
#   tmux           the live view runs in a real terminal, keys sent and the pane read (test/cli/live-view.test.ts)
# Runs apt-get as root, or through sudo without a password; otherwise says what to install and fails.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x "${RUSHHOUR_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: missing ${need[*]} and no apt-get here: install them (Debian/Ubuntu package names) and run again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "test-tools: missing ${need[*]}: run  sudo apt-get install --no-install-recommends ${need[*]}  and run again" >&2
  exit 1
fi
echo "test-tools: installing ${need[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
