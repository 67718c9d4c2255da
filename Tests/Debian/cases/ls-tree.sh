# shell: busybox
# ls -nR --full-time over a fixed tree (no owner columns, no "total", no dir sizes/links).
cd "$1" || exit 1; umask 022
mkdir -p d/sub/deep; echo hello >d/a.txt; seq 1 30 >d/sub/b.dat; : >d/sub/deep/empty
ln -s a.txt d/link; chmod 640 d/a.txt; chmod 700 d/sub/deep
touch -d '2021-03-04 05:06:07' d/a.txt d/sub/b.dat d/sub/deep/empty d/sub/deep d/sub d
ls -nR --full-time d | awk '/^total/{next} /^d[-r]/{print $1,$6,$7,$9; next} /^-/{print $1,$2,$5,$6,$7,$9; next} /^l/{print $1,$5,$9,$10,$11; next} {print}'
