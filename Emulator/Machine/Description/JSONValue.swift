// JSONValue: a generic JSON tree (Codable) used to apply dotted-path `--set` overrides to a
// machine description before decoding it into the typed structs.
import Foundation

public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let u = try? c.decode(UInt64.self) { self = .double(Double(u)) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses an override's text: JSON if it parses as JSON (numbers, true/false, null, objects),
    /// otherwise the text itself as a string.
    public static func parseOverride(_ text: String) -> JSONValue {
        if let data = text.data(using: .utf8), let v = try? JSONDecoder().decode(JSONValue.self, from: data) { return v }
        return .string(text)
    }

    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Sets the value at `path` (already split at dots); `done` is the path walked so far (for errors).
    mutating func set(_ path: ArraySlice<String>, to value: JSONValue, done: [String]) throws {
        guard let key = path.first else { self = value; return }
        let here = (done + [key]).joined(separator: ".")
        guard case .object(var o) = self else {
            throw MachineDescriptionError(done.joined(separator: "."), "is \(typeName), not an object; cannot set '\(key)' in it")
        }
        guard var child = o[key] else {
            throw MachineDescriptionError(here, "no such field (fields here: \(o.keys.sorted().joined(separator: ", ")))")
        }
        if path.count == 1 {
            // Keep the field's type: a number stays a number, a boolean a boolean.
            switch (child, value) {
            case (.int, .int), (.int, .double), (.double, .int), (.double, .double), (.bool, .bool), (.string, .string),
                 (.null, _), (_, .null), (.object, .object), (.array, .array):
                break
            case (.string, _):
                throw MachineDescriptionError(here, "expects a string, got \(value.typeName)")
            default:
                throw MachineDescriptionError(here, "expects \(child.typeName), got \(value.typeName)")
            }
            child = value
        } else {
            try child.set(path.dropFirst(), to: value, done: done + [key])
        }
        o[key] = child
        self = .object(o)
    }
}
