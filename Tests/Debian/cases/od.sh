# shell: busybox
# od with skip and count, several formats.
cd "$1" || exit 1
printf 'abcdefghijklmnop\n\001\377' >f
od -j 4 -N 8 -c f
od -A d -t x1 f
printf 'AB' | od -t o2
