# shell: busybox
# while read loops over a pipe, a file and a here-doc; IFS splitting; -r.
printf 'a 1\nb 2\nc 3\n' | while read k v; do echo "$v=$k"; done
cd "$1" || exit 1
printf 'p:q:r\ns:t:u\n' >f
while IFS=: read x y z; do echo "$z $y $x"; done <f
n=0; while read -r line; do n=$((n+1)); echo "$n [$line]"; done <<'END'
back\slash
  leading
END
