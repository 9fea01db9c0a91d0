import CurateCore
import Foundation

/// What reading a source produces, in source order: records that became conversations and
/// records that were rejected (with the reason). Nothing is dropped silently.
public enum IngestEvent: Sendable {
    case conversation(Conversation)
    case rejected(Diagnostic)
}

/// A source file ready to read: where it is, how to name it in messages, its fingerprint.
public struct SourceFile: Sendable {
    public let url: URL
    /// The path as the user gave it, used in messages and provenance.
    public let displayPath: String
    public let sha256: String
    public let byteCount: Int

    /// Fingerprints the file (one streaming pass) so every conversation can name the exact
    /// bytes it came from.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CurateError("\(path): no such file — check the path (recipe paths are relative to the recipe file)")
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CurateError("\(path): cannot be read — check its permissions")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var count = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            count += chunk.count
        }
        self.url = url
        self.displayPath = path
        self.sha256 = hasher.hexDigest()
        self.byteCount = count
    }
}

/// The ingest stage: source file + preset → a stream of `IngestEvent`s.
public struct Ingestor: Sendable {
    public let preset: Preset

    public init(preset: Preset) { self.preset = preset }

    public func read(_ source: SourceFile, _ emit: (IngestEvent) throws -> Void) throws {
        switch preset.container {
        case .jsonLines:
            try JSONLinesReader(url: source.url, displayPath: source.displayPath, sha256: source.sha256,
                                mapping: preset.mapping).read(emit)
        }
    }
}
