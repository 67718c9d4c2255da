# shell: busybox
# xargs runs applets as child programs.
printf '%s\n' a b c | xargs echo x
printf '%s\n' a b c | xargs -n 1 echo y
printf '1 2 3 4 5\n' | xargs -n 2 sh -c 'echo "$# args: $*"' sh
echo q | xargs false; echo "status $?"
