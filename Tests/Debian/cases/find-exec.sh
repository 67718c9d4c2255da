# shell: busybox
# find -exec with \; and +, over a tree made here (sorted: readdir order is the filesystem's).
cd "$1" || exit 1
mkdir -p t/s; echo one >t/a.txt; echo two >t/s/b.txt; echo three >t/s/c.dat
find t -type f -exec echo F {} \; | sort
find t -name '*.txt' -exec cat {} + | sort
find t -type f -exec sh -c 'echo "$(basename "$1"): $(wc -c <"$1")"' sh {} \; | sort
