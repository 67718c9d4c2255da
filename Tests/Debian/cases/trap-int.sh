# shell: busybox
# trap INT with kill -INT $$; a child shell killed by INT reports 130.
trap 'echo got INT' INT
kill -INT $$
echo after
trap - INT
sh -c 'kill -INT $$; echo not reached'; echo "child status $?"
sh -c 'kill -TERM $$'; echo "child status $?"
