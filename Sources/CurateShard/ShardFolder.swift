import CurateCore
import Foundation

/// A shard folder as `curate shard` lays it out — the one place that knows the file names,
/// so the writer, `curate eval`, the trainer and `curate report` agree on them:
///
/// ```
/// DIR/README.md                              dataset card (configs: the data files per split)
/// DIR/manifest.json                          counts, sources, licences, every file's sha256
/// DIR/train-00000-of-00002.jsonl[.gz|.zst]   data: exactly the trainer's records
/// DIR/meta/00000.jsonl                        sidecar of the manifest's first data file, line for line
/// ```
///
/// Sidecars live in `meta/` so that the data files are the only `*.jsonl` at the top (the glob
/// `train-*.jsonl` and LLaMA-Factory's folder loading see data alone), and they are numbered
/// rather than named by split: `load_dataset("json", data_dir=DIR)` reads no card and finds
/// splits by any path containing `train`, `test`, `eval`… between separators (`meta/train-…`
/// and `meta/train/…` both land in its train split and break it). The card's `configs:` tell
/// `load_dataset(DIR)` which files make each split; the manifest pairs each data file with its
/// sidecar (`meta` of a data entry).
public struct ShardFolder: Sendable {
    public static let manifestName = "manifest.json"
    public static let cardName = "README.md"
    public static let metaFolder = "meta"

    /// One data file of a split and its sidecar.
    public struct Shard: Sendable, Equatable {
        public var split: String
        /// Paths relative to the folder, as the manifest lists them.
        public var dataFile: String
        public var metaFile: String
        public var examples: Int
    }

    public let directory: URL
    public let manifest: JSONValue
    /// SHA-256 of manifest.json's bytes: names the exact shards a run trained on.
    public let manifestSHA256: String

    /// Reads `DIR/manifest.json`; a folder without one is not a shard folder.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent(Self.manifestName)
        guard let bytes = try? Data(contentsOf: url) else {
            throw CurateError("\(url.path): not found — --shards must be a folder written by `curate shard`")
        }
        do { manifest = try JSONParser.parse(String(decoding: bytes, as: UTF8.self)) } catch {
            throw CurateError("\(url.path): not valid JSON (\(error)) — rewrite the shards with `curate shard`")
        }
        var hasher = SHA256()
        hasher.update(Array(bytes))
        manifestSHA256 = hasher.hexDigest()
        self.directory = directory
    }

    /// A manifest already in hand (the writer's, before the folder is complete).
    init(manifest: JSONValue) {
        self.directory = URL(fileURLWithPath: ".")
        self.manifest = manifest
        manifestSHA256 = ""
    }

    /// The split's data files and their sidecars, in manifest (training) order.
    public func shards(split: String) -> [Shard] {
        let entries = manifest["shards"]?.arrayValue ?? []
        return entries.compactMap { entry in
            guard entry["kind"]?.stringValue == "data", entry["split"]?.stringValue == split,
                  let file = entry["file"]?.stringValue else { return nil }
            return Shard(split: split, dataFile: file, metaFile: entry["meta"]?.stringValue ?? Self.legacyMetaFile(for: file),
                         examples: entry["examples"]?.intValue ?? 0)
        }
    }

    /// The splits the manifest lists, in its order (train, validation, test).
    public var splits: [String] { manifest["splits"]?.objectPairs?.map(\.0) ?? [] }

    /// The lines of a file of the folder, decompressed as its extension says.
    public func lines(of file: String) throws -> [String] {
        let url = directory.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url) else {
            throw CurateError("\(url.path): listed in manifest.json but missing — rewrite the shards with `curate shard`")
        }
        let bytes = try ShardCompression.of(file: file).decompress([UInt8](data), file: url.path)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Each data record of the split with its sidecar line, parsed, in order; fails when a
    /// shard and its sidecar disagree on the number of lines.
    public func records(split: String, _ body: (_ record: JSONValue, _ meta: JSONValue) throws -> Bool) throws {
        for shard in shards(split: split) {
            let data = try lines(of: shard.dataFile)
            let meta = try lines(of: shard.metaFile)
            guard data.count == meta.count else {
                throw CurateError("\(shard.dataFile): \(data.count) lines but \(shard.metaFile) has \(meta.count) — rewrite the shards")
            }
            for (line, metaLine) in zip(data, meta) {
                guard try body(try JSONParser.parse(line), try JSONParser.parse(metaLine)) else { return }
            }
        }
    }

    /// The system and user prompt of a data record, as a model should be asked it: the
    /// separator that ends plain prompt-completion prompts (for trainers that concatenate
    /// prompt and answer) is taken off again.
    public func prompt(of record: JSONValue) -> (system: String?, prompt: String)? {
        guard var (system, prompt) = ShardFormat.prompt(of: record) else { return nil }
        if manifest["format"]?.stringValue == ShardFormat.promptCompletion.rawValue,
           let separator = manifest["separator"]?.stringValue, !separator.isEmpty, prompt.hasSuffix(separator) {
            prompt.removeLast(separator.count)
        }
        return (system, prompt)
    }

    /// One example, read back: its messages' texts and its sidecar (task, references, where
    /// the prompt shows the dialogue …). What `curate eval` asks and `curate train` learns.
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

    /// Examples in the split according to the manifest (0 when it has none).
    public func count(_ split: Split) -> Int { manifest["splits"]?[split.rawValue]?["examples"]?.intValue ?? 0 }

    /// The split's records in shard order, keeping those `include` accepts, at most `limit`.
    public func records(_ split: Split, limit: Int? = nil, include: (Record) -> Bool = { _ in true }) throws -> [Record] {
        var out: [Record] = []
        if let limit, limit <= 0 { return out }
        try records(split: split.rawValue) { value, meta in
            guard let (system, prompt) = self.prompt(of: value), let completion = ShardFormat.completion(of: value) else {
                throw CurateError("\(directory.path): a \(split.rawValue) record has no prompt and answer — rewrite the shards with `curate shard`")
            }
            let record = Record(system: system, prompt: prompt, completion: completion, meta: meta)
            if include(record) { out.append(record) }
            return limit.map { out.count < $0 } ?? true
        }
        return out
    }

    // MARK: names, for the writer

    /// `train-00000-of-00002`: the Hugging Face shard naming, which `datasets` also reads
    /// as the split name when a folder has no card.
    static func stem(split: String, index: Int, count: Int) -> String {
        "\(split)-\(String(format: "%05d", index))-of-\(String(format: "%05d", count))"
    }

    static func dataFile(stem: String, compression: ShardCompression) -> String { "\(stem).jsonl\(compression.fileExtension)" }

    /// The sidecar of the `index`-th data file in manifest order.
    static func metaFile(index: Int) -> String { "\(metaFolder)/\(String(format: "%05d", index)).jsonl" }

    /// Folders written before `meta/` kept `NAME.meta.jsonl` beside each shard.
    static func legacyMetaFile(for dataFile: String) -> String {
        dataFile.replacingOccurrences(of: ".jsonl", with: ".meta.jsonl")
    }
}
