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
            return ("json", try jsonKeys(url, site: site))
        default:
            return ("csv", Set(try CSVReader(url: url, site: site, options: CSVOptions()).header()))
        }
    }

    private struct Sampled: Error {}

    /// How many readable records detection looks at, and how many records in all (broken
    /// ones included) it reads to find them.
    static let sampledRecords = 10
    static let sampleLimit = 1000

    /// The keys of the first readable records (broken lines before them are skipped), or of
    /// the one object the file is when that object is itself a record of some preset; for an
    /// object that wraps its records in one list, the keys of those records.
    private static func jsonKeys(_ url: URL, site: DiagnosticSite) throws -> Set<String> {
        let reader: any RecordReader
        switch try JSONLayout.of(url) {
        case .array: reader = JSONArrayReader(url: url, site: site)
        case .lines: reader = JSONLinesReader(url: url, site: site)
        case .values: reader = JSONValuesReader(url: url, site: site)
        case .object(let keys, let lists):
            let own = Set(keys)
            guard lists.count == 1, !Preset.all.contains(where: { $0.container.name == "json" && $0.signature.isSubset(of: own) }) else { return own }
            reader = JSONArrayReader(url: url, site: site, wrapper: lists[0])
        }
        var keys: Set<String> = []
        var (records, seen) = (0, 0)
        var reasons: [String: Int] = [:]
        do {
            try reader.read { event in
                seen += 1
                switch event {
                case .record(let record):
                    guard case .object(let pairs) = record.value else { break }
                    keys.formUnion(pairs.map(\.0))
                    records += 1
                case .rejected(let d), .rejectedMessage(let d, _):
                    reasons[d.reason, default: 0] += 1
                }
                if records >= sampledRecords || seen >= sampleLimit { throw Sampled() }
            }
        } catch is Sampled {}
        if records == 0, let python = reasons["python-repr"], python > 0 {
            throw CurateError("\(site.file): the first \(seen) records are Python dict literals (single-quoted keys), not JSON, so no preset can be detected — convert the file with python3 -c \"import ast,json,sys; [print(json.dumps(ast.literal_eval(l), ensure_ascii=False)) for l in sys.stdin]\" < IN > OUT.jsonl")
        }
        if records == 0, seen > 0 {
            throw CurateError("\(site.file): none of the first \(seen) records is a readable JSON object (\(reasons.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), so no preset can be detected — fix the file, or pass --preset to see every rejected record")
        }
        return keys
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
