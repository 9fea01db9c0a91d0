/// A ggml tensor element type, as stored in a GGUF tensor info.
///
/// Kept as an open struct rather than a closed enum so that a file using a type this reader
/// cannot decode still parses: the error is raised only when that tensor is read, and it can
/// name the type (`Q4_K`) instead of failing on an unknown number while reading the header.
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let f32 = GGMLType(rawValue: 0)
    public static let f16 = GGMLType(rawValue: 1)
    public static let q4_0 = GGMLType(rawValue: 2)
    public static let q4_1 = GGMLType(rawValue: 3)
    public static let q8_0 = GGMLType(rawValue: 8)
    public static let bf16 = GGMLType(rawValue: 30)

    /// The types `GGUFFile` can dequantize, in the order error messages list them.
    public static let supported: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1]

    /// ggml's names, indexed by raw value (ggml.h `enum ggml_type`; 4 and 5 were removed).
    private static let names: [String] = [
        "F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
        "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16",
    ]

    public var description: String {
        rawValue < GGMLType.names.count ? GGMLType.names[Int(rawValue)] : "type \(rawValue)"
    }

    /// Elements per block and bytes per block (ggml-common.h block structs), for supported types.
    public var blockLayout: (elements: Int, bytes: Int)? {
        switch self {
        case .f32: return (1, 4)
        case .f16, .bf16: return (1, 2)
        case .q8_0: return (32, 2 + 32)      // block_q8_0 { ggml_half d; int8_t qs[32]; }
        case .q4_0: return (32, 2 + 16)      // block_q4_0 { ggml_half d; uint8_t qs[16]; }
        case .q4_1: return (32, 2 + 2 + 16)  // block_q4_1 { ggml_half d; ggml_half m; uint8_t qs[16]; }
        default: return nil
        }
    }

    /// Bytes taken by `count` elements, or nil when the type is unsupported or `count` is not a
    /// whole number of blocks.
    public func byteCount(elements count: Int) -> Int? {
        guard let (n, b) = blockLayout, count >= 0, count % n == 0 else { return nil }
        let (bytes, overflow) = (count / n).multipliedReportingOverflow(by: b)
        return overflow ? nil : bytes
    }
}
