#!/usr/bin/env bash
# Regenerates coar-workbench.png, the application icon (committed; the build does not run this).
# The motif: a 4 x 4 grid of model components shaded by their attribution, two of them ablated
# (drawn as hollow outlines). Needs ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")"

size=256 cell=44 gap=10 origin=35
# Attribution strength per cell, row by row, as an opacity 0..100; 0 marks an ablated component.
shades=(95 40 70 20
        55 0 85 35
        25 75 45 90
        80 30 0 60)
draw=()
for i in "${!shades[@]}"; do
  x=$((origin + (i % 4) * (cell + gap))) y=$((origin + (i / 4) * (cell + gap)))
  if [ "${shades[$i]}" -eq 0 ]; then
    draw+=(-fill none -stroke 'rgba(255,255,255,0.9)' -strokewidth 4
           -draw "roundrectangle $((x + 2)),$((y + 2)) $((x + cell - 2)),$((y + cell - 2)) 6,6")
  else
    draw+=(-stroke none -fill "rgba(255,255,255,0.${shades[$i]})"
           -draw "roundrectangle $x,$y $((x + cell)),$((y + cell)) 6,6")
  fi
done
convert -size ${size}x${size} xc:none \
  -fill '#1b4f9c' -draw "roundrectangle 8,8 $((size - 9)),$((size - 9)) 40,40" \
  "${draw[@]}" \
  -depth 8 -define png:exclude-chunks=date,time -strip PNG32:coar-workbench.png
