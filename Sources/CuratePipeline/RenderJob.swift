import CurateCore
import CurateStore
import CurateTemplates
import Foundation

/// Render wiring: stored conversations × task templates → stored examples.
public struct RenderJob: Sendable {
    public var tasks: [String]
    public var templatesDirectory: URL
    public var configuration: Renderer.Configuration

    public init(tasks: [String], templatesDirectory: URL, configuration: Renderer.Configuration) {
        self.tasks = tasks
        self.templatesDirectory = templatesDirectory
        self.configuration = configuration
    }

    public struct Result: Sendable {
        public var conversations = 0
        public var counts = RenderCounts()
        /// Per task, the examples rendered (new or already stored) and why conversations were skipped.
        public var perTask: [String: Int] = [:]
        public var skipped: [String: [String: Int]] = [:]
    }

    public func run(store: Store, runID: String, progress: ProgressReporter = .silent) throws -> Result {
        let sets = try TemplateLibrary(directory: templatesDirectory).sets(for: tasks)
        let renderer = Renderer(sets: sets, configuration: configuration)
        let writer = ExampleWriter(store: store, runID: runID)
        let total = try store.conversationCount()
        var result = Result()
        try store.forEachConversation { conversation in
            let (examples, skipped) = renderer.render(conversation)
            for example in examples {
                try writer.add(example)
                result.perTask[example.task, default: 0] += 1
            }
            for (task, reason) in skipped { result.skipped[task, default: [:]][reason.rawValue, default: 0] += 1 }
            result.conversations += 1
            if result.conversations % 500 == 0 { progress.report("render", result.conversations, total) }
        }
        try writer.flush()
        progress.finish("render")
        result.counts = writer.counts
        return result
    }
}
