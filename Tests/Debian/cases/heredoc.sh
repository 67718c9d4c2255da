# shell: busybox
# Here-documents: expanded, quoted delimiter (literal), <<- strips leading tabs.
v=world
cat <<END
hello $v $(echo subst)
END
cat <<'END'
literal $v $(echo no)
END
cat <<-END
	tabbed $v
	END
tr a-z A-Z <<END
piped through tr
END
