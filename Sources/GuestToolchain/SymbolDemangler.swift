// SymbolDemangler: makes linker diagnostics readable by appending the demangled form of every
// Swift symbol ($s.../$e...) they mention, using the toolchain's swift-demangle.
import Foundation

struct SymbolDemangler {
    var toolchain: Toolchain

    func demangle(_ text: String) -> String {
        let tool = toolchain.binDirectory + "/swift-demangle"
        var symbols: [String] = []
        for token in text.split(whereSeparator: { " \n\t'`:(),".contains($0) }) {
            if (token.hasPrefix("$s") || token.hasPrefix("$e")) && token.count > 3 && !symbols.contains(String(token)) {
                symbols.append(String(token))
            }
        }
        guard !symbols.isEmpty, FileManager.default.isExecutableFile(atPath: tool),
              let out = try? ToolRunner.run("swift-demangle", tool, ["--compact", "--simplified"] + symbols), out.status == 0 else {
            return text
        }
        let names = out.text.split(separator: "\n")
        guard names.count == symbols.count else { return text }
        let legend = zip(symbols, names).map { "  \($0) = \($1)" }.joined(separator: "\n")
        return text + (text.hasSuffix("\n") ? "" : "\n") + "Swift symbols:\n" + legend
    }
}
