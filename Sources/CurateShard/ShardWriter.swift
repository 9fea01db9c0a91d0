import CurateCore
import Foundation

/// The shard stage: split → ordered records → JSONL shards plus `manifest.json` and a
/// `README.md` dataset card (layout: `ShardFolder`).
///
/// Output is a pure function of the records and the configuration: no timestamps, no absolute
/// paths, fixed key order, so the same inputs give byte-identical files and checksums.
public struct ShardWriter: Sendable {
    public struct Configuration: Sendable {
        public var format: ShardFormat
        /// Examples per shard file.
        public var shardSize: Int
        public var systemPrompt: String?
        /// How data files are compressed (sidecars stay plain JSONL).
        public var compression: ShardCompression
        /// What ends every prompt of the plain `prompt-completion` format.
        public var separator: String

        public init(format: ShardFormat, shardSize: Int = 10_000, systemPrompt: String? = nil, compression: ShardCompression = .none,
                    separator: String = "\n") {
            self.format = format
            self.shardSize = shardSize
            self.systemPrompt = systemPrompt
            self.compression = compression
            self.separator = separator
        }
    }

    /// What the manifest says about where the records came from.
    public struct Context: Sendable {
        public var mixture: String
        public var mixtureSpec: JSONValue
        /// What the mixture asked for and got, per task and dataset (pool, shares, examples,
        /// lengths, epochs, templates, variants), so the manifest explains the train split.
        public var mixtureReport: JSONValue
        public var seed: UInt64
        /// SHA-256 of the recipe (or of the command-line spec when there is none).
        public var recipeSHA256: String
        /// The recipe's name, when a recipe made the shards.
        public var recipe: String?
        /// The sources the mixture draws on, each an object with `path`, `dataset`, `split`,
        /// `license`, `non_commercial` and its counts (`read`, `stored`, `duplicates`,
        /// `rejected`, `filtered`), for the manifest and the card.
        public var sources: [JSONValue]

        public init(mixture: String, mixtureSpec: JSONValue, mixtureReport: JSONValue = .null, seed: UInt64, recipeSHA256: String,
                    recipe: String? = nil, sources: [JSONValue] = []) {
            self.mixture = mixture
            self.mixtureSpec = mixtureSpec
            self.mixtureReport = mixtureReport
            self.seed = seed
            self.recipeSHA256 = recipeSHA256
            self.recipe = recipe
            self.sources = sources
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// One example to write, by store id, with the conversation it comes from — enough to
    /// check splits before anything is fetched or written.
    public struct Reference: Sendable, Equatable {
        public var example: Int64
        public var conversation: Int64

        public init(example: Int64, conversation: Int64) {
            self.example = example
            self.conversation = conversation
        }
    }

    /// Writes every split's shards, the manifest and the dataset card into `directory`,
    /// replacing the files a previous manifest there listed. Fails before writing anything if
    /// a conversation would appear in two splits.
    ///
    /// Atomic: the folder is built beside `directory` and renamed into place when complete
    /// (`AtomicFolder`), so a folder with a manifest.json is always exactly what the manifest
    /// says, even after a kill mid-write. Files the old manifest did not list are kept.
    ///
    /// Streams: `fetch` is asked for one shard's examples at a time (in the order given), so
    /// memory holds one shard, however large the mixture. `progress` counts examples written.
    @discardableResult
    public func write(splits: [(Split, [Reference])], fetch: ([Int64]) throws -> [StoredExample], context: Context,
                      to directory: URL, progress: ProgressReporter = .silent) throws -> JSONValue {
        guard configuration.shardSize > 0 else {
            throw CurateError("shard size must be positive (got \(configuration.shardSize)) — set shard_size or --shard-size")
        }
        try checkDisjoint(splits)
        let previous = try previousOutput(in: directory)
        var manifest = JSONValue.null
        try AtomicFolder.replace(directory, isPreviousOutput: previous.contains) { staging in
            manifest = try writeContents(splits: splits, fetch: fetch, context: context, to: staging, progress: progress)
        }
        return manifest
    }

    private func writeContents(splits: [(Split, [Reference])], fetch: ([Int64]) throws -> [StoredExample], context: Context,
                               to directory: URL, progress: ProgressReporter) throws -> JSONValue {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(ShardFolder.metaFolder), withIntermediateDirectories: true)
        var shardEntries: [JSONValue] = []
        var splitEntries: [(String, JSONValue)] = []
        let totalExamples = splits.reduce(0) { $0 + $1.1.count }
        var written = 0
        for (split, references) in splits where !references.isEmpty {
            let count = (references.count + configuration.shardSize - 1) / configuration.shardSize
            var perTask: [String: Int] = [:]
            for index in 0..<count {
                let slice = references[(index * configuration.shardSize)..<min((index + 1) * configuration.shardSize, references.count)]
                let chunk = try fetch(slice.map(\.example))
                let stem = ShardFolder.stem(split: split.rawValue, index: index, count: count)
                let dataFile = ShardFolder.dataFile(stem: stem, compression: configuration.compression)
                let metaFile = ShardFolder.metaFile(index: shardEntries.count / 2)
                let data = chunk.map {
                    configuration.format.line(prompt: $0.example.prompt, completion: $0.example.target, system: configuration.systemPrompt,
                                              separator: configuration.separator)
                }
                for (file, lines, kind, compression) in [(dataFile, data, "data", configuration.compression), (metaFile, chunk.map(\.metaLine), "meta", .none)] {
                    let bytes = try compression.compress(Array((lines.joined(separator: "\n") + "\n").utf8))
                    try Data(bytes).write(to: directory.appendingPathComponent(file))
                    var hasher = SHA256()
                    hasher.update(bytes)
                    shardEntries.append(.object([("file", .string(file)), ("kind", .string(kind)), ("split", .string(split.rawValue)),
                                                 ("examples", .int(chunk.count)), ("bytes", .int(bytes.count)),
                                                 ("sha256", .string(hasher.hexDigest()))] + (kind == "data" ? [("meta", .string(metaFile))] : [])))
                }
                for record in chunk { perTask[record.example.task, default: 0] += 1 }
                written += chunk.count
                progress.report("shard", written, totalExamples)
            }
            splitEntries.append((split.rawValue, .object([
                ("examples", .int(references.count)),
                ("conversations", .int(Set(references.map(\.conversation)).count)),
                ("tasks", .object(perTask.keys.sorted().map { ($0, .int(perTask[$0]!)) })),
            ])))
        }
        progress.finish("shard")
        let manifest = JSONValue.object([
            ("tool", .string("curate")),
            ("version", .string(CurateVersion.current)),
            ("format", .string(configuration.format.rawValue)),
            ("compression", .string(configuration.compression.rawValue)),
            ("system_prompt", configuration.systemPrompt.map(JSONValue.string) ?? .null),
            ("separator", configuration.format == .promptCompletion ? .string(configuration.separator) : .null),
            ("mixture", .string(context.mixture)),
            ("recipe", context.recipe.map(JSONValue.string) ?? .null),
            ("mixture_spec", context.mixtureSpec),
            ("mixture_report", context.mixtureReport),
            ("seed", .unsigned(context.seed)),
            ("recipe_sha256", .string(context.recipeSHA256)),
            ("licenses", LicenseSummary(sources: context.sources).json),
            ("sources", .array(context.sources)),
            ("splits", .object(splitEntries)),
            ("shards", .array(shardEntries)),
        ])
        try Data(manifest.prettyText().utf8).write(to: directory.appendingPathComponent(ShardFolder.manifestName))
        try Data(DatasetCard(manifest: manifest).markdown.utf8).write(to: directory.appendingPathComponent(ShardFolder.cardName))
        return manifest
    }

    private func checkDisjoint(_ splits: [(Split, [Reference])]) throws {
        var owner: [Int64: Split] = [:]
        for (split, references) in splits {
            for reference in references {
                if let other = owner[reference.conversation], other != split {
                    throw CurateError("conversation \(reference.conversation) would appear in both \(other.rawValue) and \(split.rawValue) — this is a bug in how splits were assigned; please report it")
                }
                owner[reference.conversation] = split
            }
        }
    }

    /// What an earlier write left in `directory`: the files its manifest lists and the
    /// manifest itself, which the new output replaces (so a smaller re-run leaves no stale
    /// shards). The folder is swapped whole, so one without a manifest is taken only when it
    /// holds nothing but plain files (they are kept): not a tree of someone's work, and never
    /// the working folder or one around it.
    private func previousOutput(in directory: URL) throws -> Set<String> {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory.path) else { return [] }
        let target = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let working = URL(fileURLWithPath: manager.currentDirectoryPath).standardizedFileURL.resolvingSymlinksInPath().path
        if working == target || working.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
            throw CurateError("\(directory.path): is the working folder (or holds it) — write shards to a folder of their own, e.g. --out out/shards")
        }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")) else {
            let folders = try manager.contentsOfDirectory(atPath: directory.path).filter {
                isFolder(directory.appendingPathComponent($0))
            }
            if let folder = folders.sorted().first {
                throw CurateError("\(directory.path): the folder holds folders (\(folder)/) but no manifest.json, so it is not a shard folder curate wrote — choose a new or empty --out folder")
            }
            return []
        }
        let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let files = (manifest?["shards"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        return Set(files + ["manifest.json"])
    }

    private func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
