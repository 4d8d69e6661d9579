#!/bin/sh
# Renders the hicolor PNGs from org.pitwall.Pitwall.svg; run after changing the SVG and commit
# the result (the build installs the committed PNGs, so it needs no SVG renderer).
# Needs gdk-pixbuf-thumbnailer (Debian: libgdk-pixbuf2.0-bin) with the librsvg loader.
set -eu
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    gdk-pixbuf-thumbnailer -s "$size" org.pitwall.Pitwall.svg \
        "hicolor/${size}x${size}/apps/org.pitwall.Pitwall.png"
done
