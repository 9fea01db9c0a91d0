import CurateModel

/// A training example as text: what the shard line says, plus where its prompt shows the dialogue.
public struct TrainingText: Sendable {
    public var system: String?
    public var prompt: String
    public var answer: String
    public var task: String
    /// Unicode-scalar range of the dialogue in `prompt` (the part that may be cut).
    public var dialogue: Range<Int>?

    public init(system: String?, prompt: String, answer: String, task: String, dialogue: Range<Int>?) {
        (self.system, self.prompt, self.answer, self.task, self.dialogue) = (system, prompt, answer, task, dialogue)
    }
}

/// A tokenized example: the prompt exactly as `curate eval` renders it (chat template, system
/// prompt, assistant header), then the answer and `<|im_end|>`, which carry the loss.
public struct EncodedExample: Equatable, Sendable {
    public var tokens: [Int]
    public var answerStart: Int
    public var task: String
    /// The dialogue was cut to fit the length cap.
    public var truncated: Bool

    public var answerLength: Int { tokens.count - answerStart }
}

/// Why an example could not be used; reported with counts, never dropped silently.
public enum EncodingSkip: String, Error, Sendable, CaseIterable {
    /// The answer (and the parts of the prompt that are never cut) alone exceed the cap.
    case answerTooLong = "answer-too-long"
    /// The prompt is over the cap and shows no dialogue to cut (inverted tasks, old stores).
    case promptTooLong = "prompt-too-long"
    case emptyAnswer = "empty-answer"
}

/// Turns texts into token sequences of at most `maxLength` tokens.
///
/// A sequence over the cap is shortened on the prompt side only: the dialogue loses tokens
/// from its end, while the instruction around it, the chat template and the answer stay
/// whole. So a summary is never trained on a half answer, and the instruction is never lost.
public struct ExampleEncoder: Sendable {
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate
    public let maxLength: Int
    let endOfAnswer: Int

    public init(tokenizer: BPETokenizer, template: ChatTemplate, maxLength: Int) throws {
        guard let end = tokenizer.id(of: "<|im_end|>") ?? tokenizer.eosID else {
            throw TrainError.badInput("the model's tokenizer has neither <|im_end|> nor an end-of-sequence token — the trainer needs one to end answers")
        }
        self.tokenizer = tokenizer
        self.template = template
        self.maxLength = maxLength
        endOfAnswer = end
    }

    public func encode(_ text: TrainingText) -> Result<EncodedExample, EncodingSkip> {
        let answer = tokenizer.encode(text.answer) + [endOfAnswer]
        guard answer.count > 1 else { return .failure(.emptyAnswer) }
        let prompt = tokenizer.encode(template.prompt(system: text.system, user: text.prompt))
        if prompt.count + answer.count <= maxLength {
            return .success(EncodedExample(tokens: prompt + answer, answerStart: prompt.count, task: text.task, truncated: false))
        }
        guard let span = text.dialogue, span.upperBound <= text.prompt.unicodeScalars.count else {
            return .failure(answer.count >= maxLength ? .answerTooLong : .promptTooLong)
        }
        // head + prompt[..<span] | dialogue | prompt[span...] + tail, the dialogue cut to fit.
        let scalars = Array(text.prompt.unicodeScalars)
        func string(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
        let marker = "\u{1}"
        let frame = template.prompt(system: text.system, user: marker).components(separatedBy: marker)
        guard frame.count == 2 else { return .failure(.promptTooLong) }
        let before = tokenizer.encode(frame[0] + string(scalars[..<span.lowerBound]))
        let after = tokenizer.encode(string(scalars[span.upperBound...]) + frame[1])
        let room = maxLength - answer.count - before.count - after.count
        guard room > 0 else { return .failure(.answerTooLong) }
        let dialogue = tokenizer.encode(string(scalars[span]))
        let kept = before + dialogue.prefix(room) + after
        return .success(EncodedExample(tokens: kept + answer, answerStart: kept.count, task: text.task, truncated: true))
    }
}
