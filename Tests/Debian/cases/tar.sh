# shell: busybox
# tar c | tar t, tar c | tar x to stdout, and through gzip.
cd "$1" || exit 1
mkdir -p d/s; echo alpha >d/a; echo beta >d/s/b
tar cf - d | tar tf - | sort
tar cf - d/a d/s/b | tar xOf -
tar czf - d | tar tzf - | sort
mkdir out; tar cf - d | (cd out && tar xf -); cat out/d/s/b
