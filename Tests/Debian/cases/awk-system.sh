# shell: busybox
# awk system() and getline from a command, a file and stdin (system/popen use /bin/sh).
cd "$1" || exit 1
awk 'BEGIN{system("echo hi")}'
awk 'BEGIN{r = system("exit 3"); print "system status", r}'
awk 'BEGIN{while (("echo a; echo b" | getline l) > 0) print "cmd:", l}'
printf 'x1\nx2\n' >f
awk 'BEGIN{while ((getline l < "f") > 0) print "file:", l}'
printf 'in1\nin2\n' | awk 'NR==1{getline nxt; print $0, "then", nxt}'
