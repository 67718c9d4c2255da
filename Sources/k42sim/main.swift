// k42sim command-line entry point.
print("k42sim")
