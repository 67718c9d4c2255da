# shell: busybox
# trap EXIT in the shell and in a subshell; exit status kept.
trap 'echo "exit trap, status $?"' EXIT
(trap 'echo sub exit trap' EXIT; echo in sub)
echo main
exit 3
