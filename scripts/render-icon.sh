#!/bin/sh
# Renders the Marketplace icon, images/icon.png (128×128, what VS Code and the Marketplace show),
# from its source images/icon.svg. Run it after editing the SVG and commit both files: vsce takes
# only a PNG, and rendering at package time would make packaging need librsvg.
# Usage: sh scripts/render-icon.sh
set -eu
script=render-icon.sh
cd "$(dirname "$0")/.."

command -v rsvg-convert >/dev/null || {
  echo "$script: rsvg-convert is not installed (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg)" >&2
  exit 1
}

rsvg-convert --width 128 --height 128 --format png --output images/icon.png images/icon.svg
echo "images/icon.png: 128×128 from images/icon.svg"
