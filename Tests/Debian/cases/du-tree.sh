# shell: busybox
# du over a fixed tree: traversal (names) and the sizes of empty files (block counts of
# non-empty files and directories depend on the host filesystem, so they are not printed).
cd "$1" || exit 1
mkdir -p d/sub/deep; echo hello >d/a.txt; : >d/e1; : >d/sub/deep/e2
du -a d | cut -f2 | sort
du -a d/e1 d/sub/deep/e2
du -c d/e1 d/sub/deep/e2
du -s d | cut -f2
