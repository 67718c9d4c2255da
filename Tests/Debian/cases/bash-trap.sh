# shell: bash
# traps: EXIT, INT via kill -INT $$, ERR; a child killed by a signal.
trap 'echo "exit trap status $?"' EXIT
trap 'echo got INT' INT
kill -INT $$
echo after
trap 'echo "err trap"' ERR
false
bash -c 'kill -TERM $$'; echo "child status $?"
