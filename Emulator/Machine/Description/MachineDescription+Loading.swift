// Loading a MachineDescription: `--config PRESET|FILE`, then `--set path=value` overrides applied
// on the JSON tree, then decoding (errors name the field path) and validation. Also writes the
// fully resolved configuration as `config.json` (sorted keys, so byte-identical across runs).
import Foundation

extension MachineDescription {
    /// Resolves `config` (a preset name or a JSON file path) and applies `overrides`
    /// ("dotted.path=value"), then validates, including that the guest can be told about the
    /// caches (MachineConfig.cacheDescriptionError).
    public static func load(config: String, overrides: [String] = []) throws -> MachineDescription {
        var base: MachineDescription
        if let p = preset(config) {
            base = p
        } else if FileManager.default.fileExists(atPath: config) {
            guard let data = FileManager.default.contents(atPath: config) else {
                throw MachineDescriptionError("", "\(config): cannot read")
            }
            base = try decode(data, origin: config)
        } else {
            throw MachineDescriptionError("", "'\(config)' is neither a preset (\(presetNames.joined(separator: ", "))) nor a readable file")
        }
        let d = try base.applying(overrides)
        try d.validate()
        if let e = d.machineConfig.cacheDescriptionError() { throw e }
        return d
    }

    /// Applies "path=value" overrides (without validating).
    public func applying(_ overrides: [String]) throws -> MachineDescription {
        if overrides.isEmpty { return self }
        var tree = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self))
        for o in overrides {
            guard let eq = o.firstIndex(of: "="), eq != o.startIndex else {
                throw MachineDescriptionError("", "--set expects path=value, got '\(o)'")
            }
            let path = o[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            try tree.set(path[...], to: JSONValue.parseOverride(String(o[o.index(after: eq)...])), done: [])
        }
        return try Self.decode(JSONEncoder().encode(tree), origin: "--set")
    }

    /// Decodes JSON, turning Codable's errors into "path: reason".
    public static func decode(_ data: Data, origin: String) throws -> MachineDescription {
        do {
            return try JSONDecoder().decode(MachineDescription.self, from: data)
        } catch let e as DecodingError {
            func path(_ keys: [CodingKey]) -> String { keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
            switch e {
            case .keyNotFound(let k, let ctx): throw MachineDescriptionError(path(ctx.codingPath + [k]), "missing (in \(origin))")
            case .typeMismatch(let t, let ctx): throw MachineDescriptionError(path(ctx.codingPath), "expected \(t) (in \(origin))")
            case .valueNotFound(let t, let ctx): throw MachineDescriptionError(path(ctx.codingPath), "expected \(t), got null (in \(origin))")
            case .dataCorrupted(let ctx):
                throw MachineDescriptionError(path(ctx.codingPath), "\(ctx.debugDescription) (in \(origin))")
            @unknown default: throw MachineDescriptionError("", "\(origin): \(e)")
            }
        }
    }

    /// The resolved configuration as pretty JSON with sorted keys.
    public func jsonData() -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? enc.encode(self)) ?? Data()
    }

    /// Writes `config.json` into `directory` (created if needed); returns the file path.
    @discardableResult
    public func writeConfigJSON(directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("config.json")
        var data = jsonData()
        data.append(0x0A)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw MachineDescriptionError("", "\(path): cannot write")
        }
        return path
    }
}
