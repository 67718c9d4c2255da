# shell: busybox
# diff -u of two files with fixed mtimes; status 1 when they differ, 0 when equal.
cd "$1" || exit 1
printf 'one\ntwo\nthree\nfour\n' >old; printf 'one\n2\nthree\nfour\nfive\n' >new
touch -d '2020-01-02 03:04:05' old; touch -d '2020-06-07 08:09:10' new
diff -u old new; echo "status $?"
diff -u old old; echo "status $?"
