# shell: busybox
# gzip | gunzip round trips from a pipe and via files.
cd "$1" || exit 1
echo "hello gzip" | gzip | gunzip
seq 1 2000 >f; gzip -c f | gunzip | md5sum
gzip -9 f; ls; gunzip f.gz; wc -l <f
seq 1 2000 | gzip | zcat | tail -n 1
