import CurateCore

/// One line of a mixture's report: a task over all its datasets (`dataset` nil), or one
/// task's draw from one dataset. What `curate mix` prints, `--dry-run` previews and the
/// shard manifest keeps.
public struct MixLine: Sendable, Equatable {
    public var task: String
    public var dataset: String?
    /// Questions (conversation × template) in the pool, whatever variants each was rendered in.
    public var poolSize: Int
    public var requestedShare: Double
    public var count: Int
    public var achievedShare: Double
    public var characters: Int
    public var words: Int
    public var templates: [String: Int]
    public var variants: [ExampleVariant: Int]
    /// Token lengths (prompt + target) of the line's examples, when render counted them all.
    public var tokens: TokenStats?

    /// Passes over the pool: above 1 the pool was upsampled.
    public var epochs: Double { poolSize > 0 ? Double(count) / Double(poolSize) : 0 }
    public var fewShot: Int { variants.filter { $0.key.fewShot }.values.reduce(0, +) }
    public var withOptions: Int { variants.filter { $0.key.options }.values.reduce(0, +) }

    public var json: JSONValue {
        .object([
            ("task", .string(task)), ("dataset", dataset.map(JSONValue.string) ?? .null), ("pool", .int(poolSize)),
            ("requested_share", .double(requestedShare)), ("achieved_share", .double(achievedShare)), ("examples", .int(count)),
            ("epochs", .double(epochs)), ("characters", .int(characters)), ("words", .int(words)),
            ("tokens", tokens?.json ?? .null),
            ("zero_shot", .int(count - fewShot)), ("few_shot", .int(fewShot)), ("with_options", .int(withOptions)),
            ("variants", .object(variants.keys.sorted().map { ($0.description, .int(variants[$0]!)) })),
            ("templates", .object(templates.keys.sorted().map { ($0, .int(templates[$0]!)) })),
        ])
    }
}

/// What a mixture asked for and what it got, per task and per dataset.
public struct MixReport: Sendable, Equatable {
    public var total: Int
    public var lines: [MixLine]

    init(spec: MixSpec, plans: [LeafPlan], entries: [Mixture.Entry]) {
        total = entries.count
        var leaves: [String: MixLine] = [:]
        // Token lengths per leaf; a leaf with an uncounted example reports none.
        var lengths: [String: [Int]] = [:]
        var uncounted: Set<String> = []
        for plan in plans {
            leaves["\(plan.task)\u{1F}\(plan.dataset)"] = MixLine(
                task: plan.task, dataset: plan.dataset, poolSize: plan.poolSize, requestedShare: plan.requestedShare, count: 0,
                achievedShare: 0, characters: 0, words: 0, templates: [:], variants: [:])
        }
        for entry in entries {
            let e = entry.example
            let key = "\(e.task)\u{1F}\(e.dataset)"
            leaves[key]!.count += 1
            leaves[key]!.characters += e.characters
            leaves[key]!.words += e.words
            leaves[key]!.templates[e.templateID, default: 0] += 1
            leaves[key]!.variants[e.variant, default: 0] += 1
            if let tokens = e.tokens { lengths[key, default: []].append(tokens) } else { uncounted.insert(key) }
        }
        for key in leaves.keys where !uncounted.contains(key) { leaves[key]!.tokens = TokenStats(lengths[key] ?? []) }
        var lines: [MixLine] = []
        for task in spec.tasks {
            let keys = plans.filter { $0.task == task }.map { "\($0.task)\u{1F}\($0.dataset)" }
            let parts = keys.map { leaves[$0]! }
            var sum = MixLine(task: task, dataset: nil, poolSize: 0, requestedShare: 0, count: 0, achievedShare: 0,
                              characters: 0, words: 0, templates: [:], variants: [:])
            for part in parts {
                sum.poolSize += part.poolSize
                sum.requestedShare += part.requestedShare
                sum.count += part.count
                sum.characters += part.characters
                sum.words += part.words
                sum.templates.merge(part.templates, uniquingKeysWith: +)
                sum.variants.merge(part.variants, uniquingKeysWith: +)
            }
            if !keys.contains(where: uncounted.contains) { sum.tokens = TokenStats(keys.flatMap { lengths[$0] ?? [] }) }
            lines.append(sum)
            lines += parts
        }
        let total = self.total
        self.lines = lines.map { line in
            var line = line
            line.achievedShare = total > 0 ? Double(line.count) / Double(total) : 0
            return line
        }
    }

    public var json: JSONValue {
        .object([("examples", .int(total)), ("lines", .array(lines.map(\.json)))])
    }
}
