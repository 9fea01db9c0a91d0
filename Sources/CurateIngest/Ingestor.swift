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
    /// True for a file with no content: no bytes, or only whitespace and a byte order mark
    /// (an export that never finished, a placeholder). There is nothing to detect a format
    /// from, so it is rejected as a whole rather than parsed.
    public let isEmpty: Bool

    /// Fingerprints the file (one streaming pass) so every conversation can name the exact
    /// bytes it came from. A folder source (a Slack export) is fingerprinted by the hash of
    /// its member files' relative paths and hashes, so renaming the folder changes nothing
    /// but editing any day file does.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CurateError("\(path): no such file — check the path (recipe paths are relative to the recipe file)")
        }
        self.url = url
        self.displayPath = path
        if isDirectory.boolValue {
            var hasher = SHA256()
            var count = 0
            for member in try SlackExportReader.memberFiles(in: url) {
                let (sha256, bytes) = try Self.fingerprint(url.appendingPathComponent(member), shown: "\(path)/\(member)")
                hasher.update(Array("\(member)\t\(sha256)\n".utf8))
                count += bytes
            }
            (self.sha256, self.byteCount, self.isEmpty) = (hasher.hexDigest(), count, false)
        } else {
            (self.sha256, self.byteCount) = try Self.fingerprint(url, shown: path)
            self.isEmpty = try FormatSniffer.firstByte(of: url) == nil
        }
    }

    private static func fingerprint(_ url: URL, shown: String) throws -> (sha256: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CurateError("\(shown): cannot be read — check its permissions")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var count = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            count += chunk.count
        }
        return (hasher.hexDigest(), count)
    }
}

/// The ingest stage: source file + preset → a stream of `IngestEvent`s.
public struct Ingestor: Sendable {
    public let preset: Preset

    public init(preset: Preset) { self.preset = preset }

    /// Refuses a source this preset cannot read at all (a folder for a file preset), before
    /// anything about it is stored.
    public func check(_ source: SourceFile) throws {
        if FormatSniffer.isFolder(source.url), preset.container.name != Preset.Container.slackExport.name {
            throw CurateError("\(source.displayPath): is a folder, and the \(preset.name) preset reads files — pass the files inside it (e.g. \(source.displayPath)/*), or --preset slack if it is an unzipped Slack export")
        }
    }

    public func read(_ source: SourceFile, _ emit: (IngestEvent) throws -> Void) throws {
        try check(source)
        guard !source.isEmpty else { return try emit(.rejected(Self.emptyFile(source))) }
        let site = DiagnosticSite(file: source.displayPath)
        let reader = try Self.reader(for: preset, url: source.url, site: site)
        if case .csv(let options) = preset.container {
            try checkHeader(CSVReader(url: source.url, site: site, options: options).header(), site: site)
        }
        if preset.requiresEveryField {
            try FieldCoverage(preset.mapping, container: preset.container).check(reader, site: site)
        }
        let provenance = { Provenance(sourcePath: source.displayPath, sourceSHA256: source.sha256, locator: $0) }
        switch preset.mapping {
        case .conversationPerRecord(let mapping):
            try reader.read { event in
                switch event {
                case .rejected(let diagnostic), .rejectedMessage(let diagnostic, _): try emit(.rejected(diagnostic))
                case .record(let record) where record.rejection != nil:
                    try emit(.rejected(record.rejection!))
                case .record(let record):
                    let fail = { (reason: String, message: String, hint: String) in
                        Diagnostic(file: site.file, locator: record.locator, reason: reason, message: message, hint: hint, excerpt: record.excerpt)
                    }
                    do {
                        try emit(.conversation(try mapping.conversation(from: record.value, provenance: provenance(record.locator), fail: fail)))
                    } catch let diagnostic as Diagnostic {
                        try emit(.rejected(diagnostic))
                    }
                }
            }
        case .messagePerRecord(let mapping):
            try MessageGrouper(mapping: mapping, site: site, provenance: provenance).read(reader, emit)
        }
    }

    /// The rejection for an empty source: one record's worth, so the file shows up in the
    /// counts and the rejects table instead of vanishing.
    public static func emptyFile(_ source: SourceFile) -> Diagnostic {
        Diagnostic(file: source.displayPath, locator: "line 1", reason: "empty-file",
                   message: "the file is empty (\(source.byteCount) bytes, no records)",
                   hint: "check that the export or download finished, or leave the file out")
    }

    /// A CSV header lacks a column the mapping names: every row would miss it, so this stops
    /// the file at once with the columns it does have, instead of rejecting each row.
    private func checkHeader(_ header: [String], site: DiagnosticSite) throws {
        let columns = Set(header)
        guard let missing = preset.mapping.fields.first(where: { !$0.components.isEmpty && !columns.contains($0.components[0]) }) else { return }
        throw CurateError("\(site.file):1: field '\(missing.components[0])' is missing — the header has \(header.map { "'\($0)'" }.joined(separator: ", ")); fix the mapping (or --preset) to name one of them")
    }

    /// The reader for a preset's container. JSON files are sniffed (`JSONLayout`): an array,
    /// JSON Lines, or pretty-printed values; a file that is one object is a record when it
    /// has the mapping's record key, else the wrapper of the list its `records` key names,
    /// else of its only list of objects — anything else is refused with one message.
    static func reader(for preset: Preset, url: URL, site: DiagnosticSite) throws -> any RecordReader {
        switch preset.container {
        case .json:
            switch try JSONLayout.of(url) {
            case .array: return JSONArrayReader(url: url, site: site)
            case .lines: return JSONLinesReader(url: url, site: site)
            case .values: return JSONValuesReader(url: url, site: site)
            case .object(let keys, let lists):
                if let named = preset.records {
                    guard lists.contains(named) else {
                        throw CurateError("\(site.file): the file is one JSON object without a list of records at '\(named)' — it has \(shown(keys)); fix records: in the mapping")
                    }
                    return JSONArrayReader(url: url, site: site, wrapper: named)
                }
                if let key = preset.mapping.recordKey, keys.contains(key) { return JSONValuesReader(url: url, site: site) }
                guard lists.count == 1 else {
                    throw CurateError("\(site.file): the file is one JSON object (keys \(shown(keys))), not \(preset.name) records, and \(lists.isEmpty ? "holds no list of records" : "holds several lists (\(shown(lists)))") — declare a mapping with records: naming the list, or convert the file to JSON Lines (one record per line)")
                }
                return JSONArrayReader(url: url, site: site, wrapper: lists[0])
            }
        case .csv(let options): return CSVReader(url: url, site: site, options: options)
        case .xml(let options): return XMLReader(url: url, site: site, options: options)
        case .slackExport:
            guard FormatSniffer.isFolder(url) else {
                throw CurateError("\(site.file): the slack preset reads a whole export folder (users.json beside one folder per channel), not one file — pass the unzipped export's top folder")
            }
            return SlackExportReader(folder: url, site: site)
        }
    }

    private static func shown(_ keys: [String]) -> String {
        keys.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (keys.count > 12 ? ", …" : "")
    }
}
