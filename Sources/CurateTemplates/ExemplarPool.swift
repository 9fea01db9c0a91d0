import CurateCore

/// Where few-shot exemplars come from: per task and dataset, a sample of training
/// conversations that can render the task. FLAN draws exemplars from the task's own
/// training data; drawing from the same dataset as well keeps an exemplar in the register
/// of the question (a Yelp review before a Yelp review).
///
/// Only training conversations are offered (`offer` ignores the rest), so an exemplar can
/// never come from a validation or test split. The sample is the `capacity` conversations
/// with the smallest seeded hash of their content: uniform, gathered in one streaming pass
/// with bounded memory, and independent of ingest order.
public struct ExemplarPool: Sendable {
    public let seed: UInt64
    public let capacity: Int
    private var candidates: [String: [(key: UInt64, conversation: StoredConversation)]] = [:]

    public init(seed: UInt64, capacity: Int = 32) {
        self.seed = seed
        self.capacity = capacity
    }

    /// An empty pool: every few-shot variant is skipped.
    public static let none = ExemplarPool(seed: 0, capacity: 0)

    private static func slot(task: String, dataset: String) -> String { "\(task)\u{1F}\(dataset)" }

    /// Considers a conversation as an exemplar for each task whose evaluation template it can
    /// render.
    public mutating func offer(_ conversation: StoredConversation, sets: [TemplateSet]) {
        guard capacity > 0, conversation.split == .train else { return }
        let key = StableHash.fnv1a64("\(seed)|exemplar|\(conversation.contentHash)")
        for set in sets {
            guard case .success = FieldValues.make(for: conversation, template: set.evaluationTemplate, set: set) else { continue }
            let slot = Self.slot(task: set.task, dataset: conversation.dataset)
            candidates[slot, default: []].append((key, conversation))
            if candidates[slot]!.count >= 2 * capacity { trim(slot) }
        }
    }

    private mutating func trim(_ slot: String) {
        candidates[slot] = Array(candidates[slot]!.sorted { $0.key < $1.key }.prefix(capacity))
    }

    /// Call once every conversation was offered.
    public mutating func finish() {
        for slot in Array(candidates.keys) { trim(slot) }
    }

    /// Up to `count` exemplars for `conversation`'s question in `task`, never the conversation
    /// itself, in an order seeded by the conversation and template.
    func exemplars(for conversation: StoredConversation, task: String, template: String, count: Int) -> [StoredConversation] {
        var pool = (candidates[Self.slot(task: task, dataset: conversation.dataset)] ?? []).map(\.conversation)
            .filter { $0.id != conversation.id }
        var generator = SeededRandom(seed: seed, stream: "exemplars|\(task)|\(template)|\(conversation.contentHash)")
        generator.shuffle(&pool)
        return Array(pool.prefix(count))
    }
}
