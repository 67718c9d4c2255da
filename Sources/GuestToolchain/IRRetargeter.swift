// IRRetargeter: the one place where swiftc's LLVM IR for the reference target (riscv64, whose
// Embedded stdlib exists) becomes IR for mips64el or ppc64le. It replaces the triple, drops the
// data layout (clang supplies the real one), strips the reference target's function attributes
// ("target-cpu", "target-features", "target-abi") and its module flags (target-abi,
// riscv-isa), then checks nothing RISC-V specific is left. Anything unexpected is an error that
// says which IR shape was expected, so a toolchain update cannot silently miscompile guests.

enum IRRetargeter {
    static let attributeKeys = ["\"target-cpu\"=", "\"target-features\"=", "\"target-abi\"="]
    static let moduleFlagNames = ["!\"target-abi\"", "!\"riscv-isa\""]

    /// Returns `ir` retargeted to `triple`.
    static func retarget(_ ir: String, to triple: String) throws(GuestBuildError) -> String {
        let reference = GuestRecipe.referenceTarget
        func unexpected(_ what: String) -> GuestBuildError {
            GuestBuildError("IR retargeting failed: \(what). The recipe expects swiftc -emit-ir output for "
                + "\(reference) (one `target triple` line, attribute groups with \"target-cpu\"/\"target-features\", "
                + "!llvm.module.flags); the toolchain's IR has changed: update Sources/GuestToolchain/IRRetargeter.swift")
        }
        var lines = ir.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var tripleLines = 0
        var removedFlagIDs: Set<String> = []
        var output: [String] = []
        output.reserveCapacity(lines.count)
        for line in lines {
            if line.hasPrefix("target triple = ") {
                guard line == "target triple = \"\(reference)\"" else {
                    throw unexpected("found `\(line)` instead of `target triple = \"\(reference)\"`")
                }
                tripleLines += 1
                output.append("target triple = \"\(triple)\"")
            } else if line.hasPrefix("target datalayout = ") {
                continue
            } else if line.hasPrefix("attributes #") {
                output.append(stripAttributes(line))
            } else if line.hasPrefix("!"), let eq = line.range(of: " = !{i32 "),
                      moduleFlagNames.contains(where: { line.contains(", \($0),") }) {
                removedFlagIDs.insert(String(line[..<eq.lowerBound]))
            } else {
                output.append(line)
            }
        }
        lines = []
        guard tripleLines == 1 else { throw unexpected("found \(tripleLines) `target triple` lines, expected 1") }
        guard removedFlagIDs.count == moduleFlagNames.count else {
            throw unexpected("found module flags \(removedFlagIDs.sorted()) for \(moduleFlagNames), expected one each")
        }
        guard let flagsIndex = output.firstIndex(where: { $0.hasPrefix("!llvm.module.flags = !{") }) else {
            throw unexpected("no `!llvm.module.flags` line")
        }
        let flagsLine = output[flagsIndex]
        let inner = flagsLine.dropFirst("!llvm.module.flags = !{".count).dropLast()
        let ids = inner.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        guard flagsLine.hasSuffix("}"), removedFlagIDs.isSubset(of: ids) else {
            throw unexpected("`\(flagsLine)` does not list the module flags \(removedFlagIDs.sorted())")
        }
        output[flagsIndex] = "!llvm.module.flags = !{" + ids.filter { !removedFlagIDs.contains($0) }.joined(separator: ", ") + "}"
        let result = output.joined(separator: "\n")
        for leftover in ["\"target-cpu\"", "\"target-features\"", "\"target-abi\"", "@llvm.riscv."] where result.contains(leftover) {
            throw unexpected("\(leftover) is still present after retargeting")
        }
        return result
    }

    /// Removes the reference target's key="value" pairs from one `attributes #N = { ... }` line.
    static func stripAttributes(_ line: String) -> String {
        var s = Substring(line)
        var out = ""
        while let start = attributeKeys.compactMap({ s.range(of: " " + $0)?.lowerBound }).min() {
            out += s[..<start]
            // Skip ` "key"="value"`: the value is a quoted string without escaped quotes.
            var rest = s[start...].dropFirst()                     // at "key"=
            guard let keyEnd = rest.range(of: "=\"") else { out += rest; s = ""; break }
            rest = rest[keyEnd.upperBound...]
            guard let valueEnd = rest.firstIndex(of: "\"") else { out += rest; s = ""; break }
            s = rest[rest.index(after: valueEnd)...]
        }
        return out + s
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}
