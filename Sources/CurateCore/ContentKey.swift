import Foundation

/// The exact-dedup key of a conversation or an example: SHA-256 over text normalized so that
/// formatting noise (Unicode composition, whitespace runs, CRLF) does not hide a duplicate.
/// Case and punctuation are kept: this key is for exact duplicates; near-duplicates are a
/// separate, fuzzier stage.
public enum ContentKey {
    /// Keys a conversation by its turn texts in order. Speaker names are left out on purpose:
    /// the same dialogue exported with different display names is still the same training data.
    public static func conversation(_ turns: [Turn]) -> String {
        var hasher = SHA256()
        for turn in turns {
            hasher.update(normalized(turn.text))
            hasher.update([0x1E])
        }
        return hasher.hexDigest()
    }

    public static func example(task: String, prompt: String, target: String) -> String {
        var hasher = SHA256()
        hasher.update(task)
        hasher.update([0x1F])
        hasher.update(normalized(prompt))
        hasher.update([0x1F])
        hasher.update(normalized(target))
        return hasher.hexDigest()
    }

    /// NFC, invisible characters dropped, every whitespace run (line breaks included) folded
    /// to one space, trimmed.
    public static func normalized(_ text: String) -> String {
        WhitespaceFolding.fold(text, keepLineBreaks: false)
    }
}
