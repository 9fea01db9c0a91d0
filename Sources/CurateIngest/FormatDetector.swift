import CurateCore
import Foundation

/// Picks the preset for a file from its first bytes: the container from the first
/// character (`<` XML, `[` or `{` JSON, anything else CSV), then the preset whose signature
/// keys the file shows (the first JSON record's keys, the CSV header, the XML root element).
/// When several presets fit, the one whose signature includes the others' wins; when that
/// still leaves more than one, detection refuses and names them.
public enum FormatDetector {
    public static func detect(path: String, among presets: [Preset] = Preset.all) throws -> Preset {
        let url = URL(fileURLWithPath: path)
        let site = DiagnosticSite(file: path)
        let (container, keys) = try sniff(url, site: site)
        let fitting = presets.filter { $0.container.name == container && $0.signature.isSubset(of: keys) }
        let candidates = fitting.filter { preset in !fitting.contains { preset.signature.isStrictSubset(of: $0.signature) } }
        let shownKeys = keys.sorted().prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        switch candidates.count {
        case 1:
            return candidates[0]
        case 0:
            throw CurateError("\(path): no preset matches this \(container) file (it has \(shownKeys)) — pass --preset (see `curate formats`)")
        default:
            throw CurateError("\(path): this \(container) file fits several presets: \(candidates.map(\.name).joined(separator: ", ")) (it has \(shownKeys)) — choose one with --preset")
        }
    }

    private struct FoundFirstRecord: Error { let keys: Set<String> }

    /// The container name and the keys detection matches signatures against.
    static func sniff(_ url: URL, site: DiagnosticSite) throws -> (String, Set<String>) {
        if FormatSniffer.isFolder(url) {
            let names = Set(try FileManager.default.contentsOfDirectory(atPath: url.path))
            guard names.contains("users.json") else {
                throw CurateError("\(site.file): is a folder without users.json — curate reads folders that are Slack exports; for anything else pass the files themselves")
            }
            return (Preset.Container.slackExport.name, names)
        }
        if try FormatSniffer.isZip(url) {
            throw CurateError("\(site.file): is a zip archive — unzip it first and pass the files (a Slack export unzips to a folder, which curate reads whole)")
        }
        switch try FormatSniffer.firstByte(of: url) {
        case UInt8(ascii: "<"):
            return ("xml", Set([try FormatSniffer.rootElement(of: url)].compactMap { $0 }))
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            do {
                try Ingestor.reader(for: .json, url: url, site: site).read { event in
                    if case .record(let record) = event, case .object(let pairs) = record.value {
                        throw FoundFirstRecord(keys: Set(pairs.map(\.0)))
                    }
                }
            } catch let found as FoundFirstRecord {
                return ("json", found.keys)
            }
            return ("json", [])
        default:
            return ("csv", Set(try CSVReader(url: url, site: site, options: CSVOptions()).header()))
        }
    }
}

/// Cheap looks at a file's first bytes.
enum FormatSniffer {
    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether the file starts with a zip local-file header (`PK\u{3}\u{4}`).
    static func isZip(_ url: URL) throws -> Bool {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        return Array(try stream.lookahead(4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    /// The first byte that is not whitespace or a UTF-8 byte order mark; nil for an empty file.
    static func firstByte(of url: URL) throws -> UInt8? {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        while let byte = try stream.next() {
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return byte }
        }
        return nil
    }

    /// The name of the first element in the first 64 KiB, skipping the XML declaration,
    /// comments and a DOCTYPE.
    static func rootElement(of url: URL) throws -> String? {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        let head = try stream.lookahead(1 << 16)
        var index = head.startIndex
        while let open = head[index...].firstIndex(of: UInt8(ascii: "<")) {
            let nameStart = head.index(after: open)
            guard nameStart < head.endIndex else { return nil }
            let first = head[nameStart]
            if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") {
                index = nameStart
                continue
            }
            let end = head[nameStart...].firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "/") } ?? head.endIndex
            return String(decoding: head[nameStart..<end], as: UTF8.self)
        }
        return nil
    }
}
