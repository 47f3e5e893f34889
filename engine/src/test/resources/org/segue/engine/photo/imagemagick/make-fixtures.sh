#!/bin/sh
# TIFFs as ImageMagick writes them, from generated noise (no photos): 16-bit and 8-bit, ZIP and LZW with the
# horizontal-differencing predictor, both byte orders, strips, tiles and planar layout, grey, RGB and RGBA; and for
# each kind a PNG of the same samples (the JDK reads PNG itself), which the decoded TIFFs are compared with.
# Usage: make-fixtures.sh OUTPUT_FOLDER [CONVERT_COMMAND]   (the committed files: make-fixtures.sh .)
set -eu
out=$1
im=${2:-convert}
cd "$out"
$im -size 40x24 -seed 29 xc:'srgb(120,130,140)' -type TrueColor +noise Random -depth 16 rgb.miff
$im -size 40x24 -seed 30 xc:gray50 +noise Random -colorspace Gray -depth 16 grey.miff
$im rgb.miff grey.miff -alpha off -compose CopyOpacity -composite -type TrueColorAlpha -depth 16 rgba.miff

$im rgb.miff PNG48:rgb16.png
$im grey.miff -define png:color-type=0 -depth 16 grey16.png
$im rgba.miff PNG64:rgba16.png
$im rgb.miff -depth 8 PNG24:rgb8.png

$im rgb.miff -depth 16 -compress zip -define tiff:predictor=2 rgb16-zip-predictor.tif
$im rgb.miff -depth 16 -define tiff:endian=msb -compress lzw -define tiff:predictor=2 rgb16-lzw-predictor-msb.tif
$im rgb.miff -depth 16 -compress zip -define tiff:predictor=2 -define tiff:tile-geometry=16x16 rgb16-zip-predictor-tiled.tif
$im rgb.miff -depth 16 -compress lzw -define tiff:predictor=2 -interlace plane rgb16-lzw-predictor-planar.tif
$im rgb.miff -depth 16 -compress none rgb16-uncompressed.tif
$im grey.miff -depth 16 -compress zip -define tiff:predictor=2 grey16-zip-predictor.tif
$im rgba.miff -depth 16 -compress zip -define tiff:predictor=2 rgba16-zip-predictor.tif
$im rgb.miff -depth 8 -compress lzw -define tiff:predictor=2 rgb8-lzw-predictor.tif
$im rgb.miff -depth 8 -compress zip -define tiff:predictor=1 rgb8-zip.tif
rm rgb.miff grey.miff rgba.miff
