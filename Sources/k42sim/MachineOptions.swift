// MachineOptions: the `--config PRESET|FILE`, `--set path=value` and `--write-config DIR` options
// shared by commands that build a machine from a MachineDescription (use with @OptionGroup).
import ArgumentParser
import Emulator

struct MachineOptions: ParsableArguments {
    @Option(help: "Machine preset (\(MachineDescription.presetNames.joined(separator: ", "))) or a JSON description file (default: origin-mips64).")
    var config: String?

    @Option(name: .customLong("set"), help: "Override one field of the description: dotted.path=value (repeatable), e.g. caches.l1d.size=32768.")
    var overrides: [String] = []

    @Option(name: .customLong("write-config"), help: "Write the fully resolved description to DIR/config.json.")
    var writeConfig: String?

    /// True when the command line chose a description (--config or --set).
    var isGiven: Bool { config != nil || !overrides.isEmpty }

    /// The resolved, validated description (exits with status 2 and "path: reason" when invalid).
    /// `extra` are further overrides applied after `--set` (e.g. from --cpus).
    /// The description: --config (default: `fallback`, the preset of the image's ISA) with --set.
    func description(extra: [String] = [], fallback: String = "origin-mips64") -> MachineDescription {
        do {
            let d = try MachineDescription.load(config: config ?? fallback, overrides: overrides + extra)
            if let dir = writeConfig { try d.writeConfigJSON(directory: dir) }
            return d
        } catch {
            fail("config: \(error)")
        }
    }
}
