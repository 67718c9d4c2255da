// RunProgram: the kernel's part of the default workload after the demo — start a K42 user
// program from the initial RAM image on CPU 0 (`init`, or the one `program=NAME` names, with
// `program-arg=N`, on CPU `program-cpu=N`), wait for it and print how it ended. Returns 0 when it exited with status 0,
// 1 otherwise; with no RAM image (or no such program) it says so and returns 0 for `init`
// (the image is optional) and 1 for a program asked for by name.

enum RunProgram {
    static func run() -> UInt64 {
        let named = BootArgs.value("program")
        let argument = BootArgs.integer("program-arg", default: 0)
        let cpu = Int(min(BootArgs.integer("program-cpu", default: 0), UInt64(Int.max)))
        let pid: Int64
        if let named {
            pid = Programs.spawn(name: UnsafeRawBufferPointer(named), cpu: cpu, argument: argument, parent: 0)
        } else {
            pid = Programs.spawn("init", cpu: cpu, argument: argument)
        }
        guard pid > 0 else {
            Console.write("k42: program '")
            if let named { for b in named { Console.put(b) } } else { Console.write("init") }
            print("' not started: error \(-pid) (RAM image with \(RAMImage.fileCount) files)")
            return named == nil && pid == -Programs.enoent ? 0 : 1
        }
        let status = UInt64(bitPattern: Programs.wait(UInt64(pid), parent: 0))
        Report.value(.programStatus, status)
        if status & Programs.killedBit != 0 {
            print("k42: process \(pid) killed (fault, access \(status & 3))")
        } else if status & Programs.notStartedBit != 0 {
            print("k42: process \(pid) not started: error \(status & 0xFFFF)")
        } else {
            print("k42: process \(pid) exited with status \(status)")
        }
        return status == 0 ? 0 : 1
    }
}
