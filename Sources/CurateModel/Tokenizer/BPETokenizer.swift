import Foundation

/// Byte-level BPE as GGUF "gpt2" tokenizers describe it (tokens, merges, token types), in the
/// spirit of minbpe: special tokens are cut out first, the rest is pre-tokenized, and each piece
/// is merged pair by pair in merge-rank order, starting from one token per byte.
public final class BPETokenizer: @unchecked Sendable {
    /// Token texts by id, as stored (byte-level spelled, or plain text for special tokens).
    public let tokens: [String]
    public let preTokenizer: PreTokenizer
    public let bosID: Int?
    public let eosID: Int?
    public let padID: Int?

    private let idOf: [String: Int]
    /// The token of each single byte; nil for bytes the vocabulary cannot spell (SmolLM2 lacks
    /// 21 of them, e.g. 0x04 and 0xF5–0xFF, which never occur in valid UTF-8 text).
    private let byteToken: [Int?]
    /// Merge rank and result, keyed by the pair of ids `left << 32 | right`.
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    /// Control and user-defined tokens, matched whole in the text before anything else.
    private let specials: SpecialTokenMatcher
    /// Raw bytes of each token (special tokens: their UTF-8 text).
    private let tokenBytes: [[UInt8]]
    private var cache: [String: [Int]] = [:]
    private let lock = NSLock()

    /// llama.cpp's `llama_token_type` values used in `tokenizer.ggml.token_type`.
    public enum TokenType: Int { case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6 }

    public init(tokens: [String], tokenTypes: [Int], merges: [String], preTokenizer: PreTokenizer,
                bosID: Int? = nil, eosID: Int? = nil, padID: Int? = nil) throws {
        self.tokens = tokens
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosID = eosID
        self.padID = padID
        var idOf: [String: Int] = [:]
        idOf.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where idOf[t] == nil { idOf[t] = i }
        self.idOf = idOf

        let special = tokens.indices.filter { i in
            i < tokenTypes.count && (tokenTypes[i] == TokenType.control.rawValue || tokenTypes[i] == TokenType.userDefined.rawValue)
        }
        specials = SpecialTokenMatcher(special.map { (Array(tokens[$0].utf8), $0) })
        let specialSet = Set(special)
        tokenBytes = tokens.enumerated().map { i, t in
            specialSet.contains(i) ? Array(t.utf8) : (ByteLevel.bytes(of: t) ?? Array(t.utf8))
        }

        byteToken = (0 ..< 256).map { idOf[String(ByteLevel.scalar[$0])] }

        var table: [UInt64: (rank: Int32, id: Int32)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let l = idOf[String(parts[0])], let r = idOf[String(parts[1])],
                  let m = idOf[String(parts[0] + parts[1])]
            else { throw TokenizerError.invalidVocabulary("merge #\(rank) '\(merge)' names tokens not in the vocabulary") }
            let key = UInt64(l) << 32 | UInt64(r)
            if table[key] == nil { table[key] = (Int32(rank), Int32(m)) }
        }
        self.merges = table
    }

    /// The tokenizer a GGUF file describes (`tokenizer.ggml.model` must be "gpt2").
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else { throw TokenizerError.unsupportedModel(model) }
        let preName = (try? gguf.string("tokenizer.ggml.pre")) ?? "gpt2"
        guard let pre = PreTokenizer(rawValue: preName) else { throw TokenizerError.unsupportedPreTokenizer(preName) }
        let tokens = try gguf.strings("tokenizer.ggml.tokens")
        let types = gguf.metadata["tokenizer.ggml.token_type"] == nil ? [] : try gguf.ints("tokenizer.ggml.token_type")
        try self.init(tokens: tokens, tokenTypes: types, merges: try gguf.strings("tokenizer.ggml.merges"),
                      preTokenizer: pre,
                      bosID: try? gguf.int("tokenizer.ggml.bos_token_id"),
                      eosID: try? gguf.int("tokenizer.ggml.eos_token_id"),
                      padID: try? gguf.int("tokenizer.ggml.padding_token_id"))
    }

    public var vocabularySize: Int { tokens.count }

    public func id(of token: String) -> Int? { idOf[token] }

    /// Token ids of `text`. Special tokens written in the text (`<|im_start|>`) become their id
    /// when `parseSpecial` is true, as with Hugging Face tokenizers' default; no BOS is added.
    public func encode(_ text: String, parseSpecial: Bool = true) -> [Int] {
        var ids: [Int] = []
        let bytes = Array(text.utf8)
        var start = 0
        if parseSpecial {
            for (range, id) in specials.matches(in: bytes) {
                encodeOrdinary(bytes[start ..< range.lowerBound], into: &ids)
                ids.append(id)
                start = range.upperBound
            }
        }
        encodeOrdinary(bytes[start...], into: &ids)
        return ids
    }

    /// The text of `ids`. Byte sequences that are not valid UTF-8 on their own (half a
    /// character) become U+FFFD; use `bytes(of:)` to stream output.
    public func decode(_ ids: [Int]) -> String {
        String(decoding: ids.flatMap { bytes(of: $0) }, as: UTF8.self)
    }

    public func bytes(of id: Int) -> [UInt8] {
        tokenBytes.indices.contains(id) ? tokenBytes[id] : []
    }

    private func encodeOrdinary(_ bytes: ArraySlice<UInt8>, into ids: inout [Int]) {
        guard !bytes.isEmpty else { return }
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        for piece in preTokenizer.split(scalars) {
            var utf8: [UInt8] = []
            for s in scalars[piece] { utf8.append(contentsOf: UTF8.encode(s)!) }
            ids.append(contentsOf: cachedBPE(utf8))
        }
    }

    private func cachedBPE(_ utf8: [UInt8]) -> [Int] {
        let key = String(decoding: utf8, as: UTF8.self)
        if let hit = lock.withLock({ cache[key] }) { return hit }
        let ids = bpe(utf8)
        lock.withLock { if cache.count < 100_000 { cache[key] = ids } }
        return ids
    }

    /// Merges the lowest-ranked adjacent pair until no pair has a merge. Bytes without a token
    /// are dropped before merging, as Hugging Face's BPE does when there is no unknown token.
    private func bpe(_ utf8: [UInt8]) -> [Int] {
        var ids = utf8.compactMap { byteToken[Int($0)] }
        while ids.count > 1 {
            var best: (rank: Int32, id: Int32, at: Int)?
            for i in 0 ..< ids.count - 1 {
                if let m = merges[UInt64(ids[i]) << 32 | UInt64(ids[i + 1])], m.rank < (best?.rank ?? .max) {
                    best = (m.rank, m.id, i)
                }
            }
            guard let b = best else { break }
            // Merge every occurrence of this pair, left to right, as HF and minbpe do.
            let (l, r) = (ids[b.at], ids[b.at + 1])
            var merged: [Int] = []
            merged.reserveCapacity(ids.count)
            var i = 0
            while i < ids.count {
                if i + 1 < ids.count, ids[i] == l, ids[i + 1] == r {
                    merged.append(Int(b.id)); i += 2
                } else {
                    merged.append(ids[i]); i += 1
                }
            }
            ids = merged
        }
        return ids
    }
}

public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    case unsupportedModel(String)
    case unsupportedPreTokenizer(String)
    case invalidVocabulary(String)

    public var description: String {
        switch self {
        case let .unsupportedModel(m):
            return "tokenizer.ggml.model is '\(m)'; only byte-level BPE ('gpt2') is supported"
        case let .unsupportedPreTokenizer(p):
            return "tokenizer.ggml.pre is '\(p)'; supported: \(PreTokenizer.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .invalidVocabulary(why):
            return "invalid tokenizer vocabulary: \(why)"
        }
    }
}
