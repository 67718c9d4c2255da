# shell: busybox
# Pipelines of applets; exit status of a pipeline is its last command's.
printf '3\n1\n2\n' | sort | head -n 2 | tr '\n' ' '; echo
echo hello world | tr a-z A-Z | rev
false | true; echo "status $?"
true | false; echo "status $?"
seq 1 1000 | grep 7 | wc -l
