import Foundation

/// The exact-dedup keys of conversations and examples (SHA-256). Conversation keys hash text
/// normalized so that formatting noise (Unicode composition, whitespace runs, CRLF) does not
/// hide a duplicate.
/// Case and punctuation are kept: this key is for exact duplicates; near-duplicates are a
/// separate, fuzzier stage.
public enum ContentKey {
    /// Keys a conversation by its turn texts in order. Speaker names are left out on purpose:
    /// the same dialogue exported with different display names is still the same training data.
    public static func conversation(_ turns: [Turn]) -> String {
        var hasher = SHA256()
        for turn in turns { appendField(normalized(turn.text), to: &hasher) }
        return hasher.hexDigest()
    }

    /// Keys an example by task, prompt and target exactly as rendered: they are built from
    /// conversations the clean stage already normalized, so folding them again (which was a
    /// fifth of render time) would find nothing more.
    public static func example(task: String, prompt: String, target: String) -> String {
        var hasher = SHA256()
        for field in [task, prompt, target] { appendField(field, to: &hasher) }
        return hasher.hexDigest()
    }

    /// Length-prefixes each field, so no text (not even one containing a separator character)
    /// can make two different field lists hash alike.
    private static func appendField(_ text: String, to hasher: inout SHA256) {
        let count = UInt64(text.utf8.count)
        hasher.update((0..<8).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) })
        hasher.update(text)
    }

    /// NFC, invisible characters dropped, every whitespace run (line breaks included) folded
    /// to one space, trimmed.
    public static func normalized(_ text: String) -> String {
        WhitespaceFolding.fold(text, keepLineBreaks: false)
    }
}
