/// How an example asks its question, FLAN style: with or without worked exemplars before it
/// (few-shot), and with or without the answer options listed after it.
public struct ExampleVariant: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var fewShot: Bool
    public var options: Bool

    public init(fewShot: Bool, options: Bool) {
        self.fewShot = fewShot
        self.options = options
    }

    public static let zeroShot = ExampleVariant(fewShot: false, options: false)
    public static let all = [zeroShot, ExampleVariant(fewShot: false, options: true),
                             ExampleVariant(fewShot: true, options: false), ExampleVariant(fewShot: true, options: true)]

    /// `zero-shot`, `few-shot`, `zero-shot+options`, `few-shot+options`: the stored form.
    public var description: String { (fewShot ? "few-shot" : "zero-shot") + (options ? "+options" : "") }

    public init?(name: String) {
        guard let match = Self.all.first(where: { $0.description == name }) else { return nil }
        self = match
    }

    public static func < (a: ExampleVariant, b: ExampleVariant) -> Bool {
        all.firstIndex(of: a)! < all.firstIndex(of: b)!
    }
}

/// One instruction-tuning example: a rendered prompt and its target, with everything needed
/// to trace it back (conversation, task, template, exemplars) and to score it (all references).
public struct Example: Hashable, Sendable {
    public var conversationID: Int64
    public var task: String
    public var templateID: String
    public var variant: ExampleVariant
    public var split: Split
    public var prompt: String
    public var target: String
    /// Every acceptable answer, the target first. Evaluation scores against the best one.
    public var references: [String]
    /// The conversations whose worked examples precede the question in a few-shot prompt, in
    /// prompt order; empty for zero-shot. Kept so leakage can be audited in SQL.
    public var exemplars: [Int64]
    /// Where the question's own dialogue sits in `prompt`, in Unicode scalars (nil when the
    /// prompt shows none, as in inverted tasks). A trainer that must shorten a prompt cuts
    /// here — never the instruction — and this is how it finds the dialogue.
    public var dialogueSpan: Range<Int>?
    /// Prompt and target tokens together, with the tokenizer render was given; nil without one.
    public var tokens: Int?

    public init(conversationID: Int64, task: String, templateID: String, variant: ExampleVariant = .zeroShot, split: Split,
                prompt: String, target: String, references: [String], exemplars: [Int64] = [], dialogueSpan: Range<Int>? = nil,
                tokens: Int? = nil) {
        self.conversationID = conversationID
        self.task = task
        self.templateID = templateID
        self.variant = variant
        self.split = split
        self.prompt = prompt
        self.target = target
        self.references = references
        self.exemplars = exemplars
        self.dialogueSpan = dialogueSpan
        self.tokens = tokens
    }
}

/// An example with its store row id: what mixtures list and shards write.
public struct StoredExample: Hashable, Sendable {
    public var id: Int64
    public var example: Example

    public init(id: Int64, example: Example) {
        self.id = id
        self.example = example
    }
}

/// An example as mixing sees it: enough to group, weigh and report it without reading its
/// text back from the store.
public struct ExampleSummary: Sendable, Equatable {
    public var exampleID: Int64
    public var task: String
    public var dataset: String
    public var conversationID: Int64
    public var templateID: String
    public var variant: ExampleVariant
    /// Unicode scalars of prompt and target together.
    public var characters: Int
    /// Whitespace tokens of prompt and target together.
    public var words: Int
    /// Model tokens of prompt and target together, when render counted them.
    public var tokens: Int?

    public init(exampleID: Int64, task: String, dataset: String, conversationID: Int64, templateID: String,
                variant: ExampleVariant, characters: Int, words: Int, tokens: Int? = nil) {
        self.exampleID = exampleID
        self.task = task
        self.dataset = dataset
        self.conversationID = conversationID
        self.templateID = templateID
        self.variant = variant
        self.characters = characters
        self.words = words
        self.tokens = tokens
    }
}

/// Whitespace-separated words: the length unit of mixture reports and of few-shot pruning.
/// It needs no tokenizer and is what FLAN-style length budgets are usually quoted in before
/// a model is chosen. Counts runs of non-whitespace bytes (ASCII whitespace only), so it is
/// a single pass over UTF-8.
public func whitespaceTokenCount(_ text: String) -> Int {
    var count = 0
    var inWord = false
    for byte in text.utf8 {
        let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
        if !space && !inWord { count += 1 }
        inWord = !space
    }
    return count
}
