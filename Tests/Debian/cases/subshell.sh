# shell: busybox
# Subshells: variables and cwd do not leak out, exit status comes back.
x=1; (x=2; echo "in $x"); echo "out $x"
(exit 5); echo "status $?"
(cd /; pwd); pwd >/dev/null
( (echo nested; exit 2) ); echo "status $?"
echo "$( (echo sub-in-subst) )"
