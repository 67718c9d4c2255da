# shell: bash
# Command substitution, $(<file), here-strings, process substitution (/dev/fd).
cd "$1" || exit 1
printf 'l1\nl2\n' >f
echo "[$(<f)]"
tr a-z A-Z <<<"here string"
diff <(printf 'a\nb\n') <(printf 'a\nc\n'); echo "status $?"
while read -r l; do echo "got $l"; done < <(printf 'p\nq\n')
