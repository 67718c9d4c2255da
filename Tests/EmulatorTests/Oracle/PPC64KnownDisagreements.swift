// PPC64KnownDisagreements: the explained differences between k42sim's PPC64 decoder and LLVM's
// (pwr8). Each group names what it covers and why. k42sim never accepts a word LLVM rejects;
// the other direction is allowed only for the instruction groups listed here.

enum PPC64KnownDisagreements {
    /// Groups of instructions LLVM decodes that k42sim's user-mode POWER8 core does not
    /// implement; they raise the illegal-instruction program interrupt (SIGILL in SE mode).
    static let groups: [(name: String, reason: String, names: Set<String>)] = [
        ("placeholder", "filled from the oracle's output", []),
    ]

    /// The explaining group's name, or nil when the disagreement is unexplained.
    static func explain(word: UInt32, k42: String?, llvm: String?) -> String? {
        guard k42 == nil, let l = llvm else { return nil }
        for g in groups where g.names.contains(l) || g.names.contains(where: { $0.hasSuffix("*") && l.hasPrefix($0.dropLast()) }) {
            return g.name
        }
        return nil
    }
}
