# shell: bash
# PIPESTATUS and pipefail across external commands.
true | false | true; echo "${PIPESTATUS[*]}"
set -o pipefail; (exit 2) | cat; echo "status $?"
echo abc | tr a-c x-z | cat; echo "${PIPESTATUS[@]}"
