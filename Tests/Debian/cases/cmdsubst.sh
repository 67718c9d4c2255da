# shell: busybox
# Command substitution: trailing newlines stripped, nesting, backquotes, status.
a=$(echo one; echo two; echo; echo); echo "[$a]"
echo "$(echo "$(echo deep)")"
b=`echo back`; echo "$b"
x=$(exit 4); echo "status $?"
echo "count $(seq 1 50 | wc -l)"
