import CurateCore
import Foundation

/// A folder written by `ShardWriter`, read back: its manifest, and each split's records with
/// their sidecar lines. Evaluation and training read shards through this one type, so both see
/// exactly the prompts a trainer would and agree on where the sidecars are.
public struct ShardFolder: Sendable {
    public let url: URL
    public let manifest: JSONValue
    /// SHA-256 of manifest.json's bytes: names the exact shards a run trained on.
    public let manifestSHA256: String
    public let format: ShardFormat

    /// One example: the message texts and its sidecar (task, references, dialogue span …).
    public struct Record: Sendable {
        public var system: String?
        public var prompt: String
        public var completion: String
        public var meta: JSONValue

        public var task: String { meta["task"]?.stringValue ?? "" }
        public var references: [String] { meta["references"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        /// Where the prompt shows its dialogue, in Unicode scalars (see `Example.dialogueSpan`).
        public var dialogueSpan: Range<Int>? {
            guard let bounds = meta["dialogue"]?.arrayValue?.compactMap(\.intValue), bounds.count == 2, bounds[0] <= bounds[1] else { return nil }
            return bounds[0] ..< bounds[1]
        }
    }

    public init(_ url: URL) throws {
        self.url = url
        let manifestURL = url.appendingPathComponent("manifest.json")
        guard let bytes = try? Data(contentsOf: manifestURL) else {
            throw CurateError("\(manifestURL.path): not found — --shards must be a folder written by `curate shard`")
        }
        manifest = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        var hasher = SHA256()
        hasher.update(Array(bytes))
        manifestSHA256 = hasher.hexDigest()
        let name = manifest["format"]?.stringValue ?? ""
        guard let format = ShardFormat(rawValue: name) else {
            throw CurateError("\(manifestURL.path): format '\(name)' is not one curate reads back — write the shards with --format \(ShardFormat.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        self.format = format
    }

    /// The split's data files, in manifest order.
    public func files(_ split: Split) -> [String] {
        (manifest["shards"]?.arrayValue ?? []).filter {
            $0["kind"]?.stringValue == "data" && $0["split"]?.stringValue == split.rawValue
        }.compactMap { $0["file"]?.stringValue }
    }

    /// Examples in the split according to the manifest (0 when it has none).
    public func count(_ split: Split) -> Int { manifest["splits"]?[split.rawValue]?["examples"]?.intValue ?? 0 }

    /// The split's records in shard order, keeping those `include` accepts, at most `limit`.
    public func records(_ split: Split, limit: Int? = nil, include: (Record) -> Bool = { _ in true }) throws -> [Record] {
        var records: [Record] = []
        if let limit, limit <= 0 { return records }
        for file in files(split) {
            let data = try lines(file)
            let meta = try lines(Self.sidecar(of: file))
            guard data.count == meta.count else { throw CurateError("\(file): \(data.count) lines but its sidecar has \(meta.count) — rewrite the shards") }
            for (number, (line, metaLine)) in zip(data, meta).enumerated() {
                let record = try self.record(try JSONParser.parse(line), meta: try JSONParser.parse(metaLine), at: "\(file):\(number + 1)")
                guard include(record) else { continue }
                records.append(record)
                if let limit, records.count >= limit { return records }
            }
        }
        return records
    }

    /// The sidecar of a data file.
    public static func sidecar(of file: String) -> String { file.replacingOccurrences(of: ".jsonl", with: ".meta.jsonl") }

    private func record(_ value: JSONValue, meta: JSONValue, at place: String) throws -> Record {
        let messages = value["messages"]?.arrayValue ?? []
        func content(_ role: String) -> String? { messages.first { $0["role"]?.stringValue == role }?["content"]?.stringValue }
        guard let prompt = value["prompt"]?.stringValue ?? content("user"),
              let completion = value["completion"]?.stringValue ?? content("assistant") else {
            throw CurateError("\(url.path)/\(place): the line has no prompt and answer (neither prompt/completion nor user/assistant messages) — rewrite the shards with `curate shard`")
        }
        return Record(system: content("system"), prompt: prompt, completion: completion, meta: meta)
    }

    private func lines(_ file: String) throws -> [String] {
        let path = url.appendingPathComponent(file)
        guard let text = try? String(contentsOf: path, encoding: .utf8) else {
            throw CurateError("\(path.path): listed in manifest.json but missing or not UTF-8 — rewrite the shards with `curate shard`")
        }
        return text.split(separator: "\n").map(String.init)
    }
}
