# shell: busybox
# Background jobs and wait: statuses of specific jobs, output via files.
cd "$1" || exit 1
(echo bg1 >f1; exit 7) & p1=$!
(echo bg2 >f2) & p2=$!
wait $p1; echo "job1 status $?"
wait $p2; echo "job2 status $?"
cat f1 f2
(exit 9) & wait; echo "wait all status $?"
