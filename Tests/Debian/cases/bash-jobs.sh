# shell: bash
# background jobs: wait PID, wait -n, $! statuses; output ordered through files.
cd "$1" || exit 1
(echo one >o1; exit 3) & p=$!
wait $p; echo "status $?"
(exit 4) & wait -n; echo "wait -n status $?"
for i in 1 2 3; do (echo "job $i" >j$i) & done; wait
cat j1 j2 j3
