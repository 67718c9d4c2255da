# shell: bash
# for loop piped to an external wc; arithmetic loops; arrays.
for i in 1 2 3; do echo $i; done | wc -l
for ((i = 0; i < 3; i++)); do printf '%d ' $((i * i)); done; echo
a=(x y z); echo "${#a[@]} ${a[1]} ${a[*]}"
declare -A m=([k]=v); echo "${m[k]}"
