# shell: busybox
# find over a fixed tree: names, types, sizes, -newer, -maxdepth (sorted).
cd "$1" || exit 1
mkdir -p d/sub/deep; echo hello >d/a.txt; seq 1 30 >d/sub/b.dat; : >d/sub/deep/empty
touch -d '2021-03-04 05:06:07' d/a.txt d/sub/deep/empty; touch -d '2022-01-01 00:00:00' d/sub/b.dat
find d | sort
find d -type d | sort
find d -type f -size +0 | sort
find d -newer d/a.txt -type f
find d -maxdepth 1 | sort
find d -empty | sort
