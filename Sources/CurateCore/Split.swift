/// The dataset split a conversation belongs to. Every example inherits its conversation's
/// split, which is what keeps a conversation out of two splits at once.
public enum Split: String, Sendable, CaseIterable, Comparable {
    case train, validation, test

    /// Accepts the spellings datasets use (`dev`, `val`, `valid`).
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "train", "training": self = .train
        case "validation", "valid", "val", "dev": self = .validation
        case "test", "eval": self = .test
        default: return nil
        }
    }

    public static func < (a: Split, b: Split) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
