import CurateCore
import CurateShard
import CurateStore
import Foundation

/// Shard wiring: a stored mixture (train) plus the same tasks' validation and test examples
/// → shard files and manifest.
public struct ShardJob: Sendable {
    public var mixture: String
    public var output: URL
    public var configuration: ShardWriter.Configuration
    /// Hash of whatever defined this output: the recipe file, or the command-line options.
    public var recipeSHA256: String?
    /// The recipe's name, for the dataset card.
    public var recipe: String?

    public init(mixture: String, output: URL, configuration: ShardWriter.Configuration, recipeSHA256: String? = nil, recipe: String? = nil) {
        self.mixture = mixture
        self.output = output
        self.configuration = configuration
        self.recipeSHA256 = recipeSHA256
        self.recipe = recipe
    }

    public func run(store: Store, progress: ProgressReporter = .silent) throws -> JSONValue {
        let stored = try store.mixture(named: mixture)
        let spec = try? JSONParser.parse(stored.spec)
        guard let tasks = spec?["tasks"]?.arrayValue?.compactMap(\.stringValue) else {
            throw CurateError("mixture '\(mixture)' has an unreadable spec — re-create it with `curate mix --replace`")
        }
        let seed: UInt64 = switch spec?["seed"] {
        case .int(let i)?: UInt64(i)
        case .unsigned(let u)?: u
        default: 0
        }
        // Evaluation splits hold every example of the (task, dataset) pairs the mixture drew
        // on, unsampled: a task fed only by DialogSum is not evaluated on Bitext's topics. A
        // mixture stored before reports named datasets keeps every dataset of its tasks.
        let drawnFrom: Set<String>? = (try? JSONParser.parse(stored.report))?["lines"]?.arrayValue.map { lines in
            Set(lines.compactMap { line -> String? in
                guard let task = line["task"]?.stringValue, let dataset = line["dataset"]?.stringValue else { return nil }
                return "\(task)\u{1F}\(dataset)"
            })
        }
        var splits: [(Split, [ShardWriter.Reference])] = [(.train, stored.entries.map {
            ShardWriter.Reference(example: $0.example, conversation: $0.conversation)
        })]
        for split in [Split.validation, .test] {
            splits.append((split, try store.exampleSummaries(tasks: tasks, split: split)
                .filter { drawnFrom?.contains("\($0.task)\u{1F}\($0.dataset)") ?? true }
                .map { ShardWriter.Reference(example: $0.exampleID, conversation: $0.conversationID) }))
        }
        let hash = recipeSHA256 ?? SHA256.hex(of: [stored.spec, configuration.format.rawValue, "\(configuration.shardSize)",
                                                   configuration.systemPrompt ?? "", configuration.compression.rawValue,
                                                   configuration.separator].joined(separator: "|"))
        // The card and manifest account for every source of the datasets drawn on, in every
        // split, by file name and sha256: an absolute path would tie the output to one machine.
        let datasets = drawnFrom.map { Set($0.map { String($0.split(separator: "\u{1F}", omittingEmptySubsequences: false)[1]) }) }
        let sources = try store.sourceAccounts(datasets: datasets).map { account -> JSONValue in
            var account = account
            account.path = URL(fileURLWithPath: account.path).lastPathComponent
            return account.json
        }
        let context = ShardWriter.Context(mixture: mixture, mixtureSpec: .raw(stored.spec), mixtureReport: .raw(stored.report),
                                          seed: seed, recipeSHA256: hash, recipe: recipe, sources: sources)
        return try ShardWriter(configuration: configuration).write(splits: splits, fetch: store.examples(ids:), context: context,
                                                                   to: output, progress: progress)
    }
}
