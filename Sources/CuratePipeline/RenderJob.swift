import CurateCore
import CurateModel
import CurateStore
import CurateTemplates
import Foundation

/// Render wiring: stored conversations × task templates → stored examples.
public struct RenderJob: Sendable {
    public var tasks: [String]
    /// A folder of TASK.yaml files; nil for the templates built into curate.
    public var templatesDirectory: URL?
    public var configuration: Renderer.Configuration
    /// The model whose tokenizer counts tokens (a GGUF path or a known model name); with
    /// `configuration.maxPromptTokens` and no tokenizer, the runtime's default model.
    public var tokenizer: String?

    public static let defaultTokenizer = "smollm2-135m"

    public init(tasks: [String], templatesDirectory: URL?, configuration: Renderer.Configuration, tokenizer: String? = nil) {
        self.tasks = tasks
        self.templatesDirectory = templatesDirectory
        self.configuration = configuration
        self.tokenizer = tokenizer
    }

    public struct Result: Sendable {
        public var conversations = 0
        public var counts = RenderCounts()
        /// Per task, the examples rendered (new or already stored), per variant.
        public var perTask: [String: [ExampleVariant: Int]] = [:]
        /// Per task and reason, how many conversations gave no example, with one skip that
        /// names the template and what it needed.
        public var skipped: [String: [String: (count: Int, first: RenderSkip)]] = [:]
    }

    public func run(store: Store, runID: String, progress: ProgressReporter = .silent,
                    log: @escaping @Sendable (String) -> Void = { _ in }) throws -> Result {
        var configuration = self.configuration
        if let model = tokenizer ?? (configuration.maxPromptTokens != nil ? Self.defaultTokenizer : nil) {
            configuration.tokenCounter = try TokenCounter.gguf(try ModelReference.resolve(model, log: log).gguf())
        }
        let sets = try TemplateLibrary.load(directory: templatesDirectory).sets(for: tasks)
        let renderer = Renderer(sets: sets, configuration: configuration, exemplars: try exemplars(store: store, sets: sets, configuration: configuration, progress: progress))
        let writer = ExampleWriter(store: store, runID: runID)
        let total = try store.conversationCount()
        var result = Result()
        try store.forEachConversation { conversation in
            let (examples, skipped) = renderer.render(conversation)
            for example in examples {
                try writer.add(example)
                result.perTask[example.task, default: [:]][example.variant, default: 0] += 1
            }
            for skip in skipped {
                let seen = result.skipped[skip.task]?[skip.reason]
                result.skipped[skip.task, default: [:]][skip.reason] = ((seen?.count ?? 0) + 1, seen?.first ?? skip)
            }
            result.conversations += 1
            if result.conversations % 500 == 0 { progress.report("render", result.conversations, total) }
        }
        try writer.flush()
        progress.finish("render")
        result.counts = writer.counts
        return result
    }

    /// One pass over the training conversations to sample few-shot exemplars per task and
    /// dataset (bounded; see `ExemplarPool`).
    private func exemplars(store: Store, sets: [TemplateSet], configuration: Renderer.Configuration,
                           progress: ProgressReporter) throws -> ExemplarPool {
        guard configuration.shots > 0 else { return .none }
        var pool = ExemplarPool(seed: configuration.seed)
        let total = try store.conversationCount(splits: [.train])
        var seen = 0
        try store.forEachConversation(splits: [.train]) { conversation in
            pool.offer(conversation, sets: sets)
            seen += 1
            if seen % 2000 == 0 { progress.report("few-shot exemplars", seen, total) }
        }
        progress.finish("few-shot exemplars")
        pool.finish()
        return pool
    }
}
