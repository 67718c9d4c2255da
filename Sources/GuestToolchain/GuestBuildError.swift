// GuestBuildError: every failure of the guest toolchain as one readable message (missing tool or
// toolchain component, unexpected IR, compiler/linker diagnostics, file errors).

/// A guest build failure. `description` is meant to be shown to the user as is.
public struct GuestBuildError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
