# shell: busybox
# 1.3 MB through pipes: cat uses sendfile into a pipe that fills up; nothing may be lost.
cd "$1" || exit 1
seq 1 200000 > numbers
cat numbers | wc -c
cat numbers | tr 0-9 a-j | md5sum
tr 0-9 a-j < numbers | cat | cat | tail -n 2
