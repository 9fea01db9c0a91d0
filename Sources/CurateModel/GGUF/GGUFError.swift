/// Why a GGUF file could not be read or written. Messages say where in the file and what to do.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case badMagic(found: [UInt8])
    case unsupportedVersion(UInt32)
    case truncated(what: String, offset: Int, needed: Int, fileSize: Int)
    case invalidValueType(key: String, type: UInt32)
    case invalidTensor(name: String, reason: String)
    case unsupportedTensorType(name: String, type: GGMLType)
    case missingKey(String)
    case wrongValueType(key: String, expected: String)
    case missingTensor(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open GGUF file: \(reason)"
        case let .badMagic(found):
            let hex = found.map { String($0, radix: 16) }.joined(separator: " ")
            return "not a GGUF file: magic bytes are [\(hex)], expected \"GGUF\" — check the file is a GGUF model"
        case let .unsupportedVersion(v):
            return "unsupported GGUF version \(v): only versions 2 and 3 (little-endian) are read — re-convert the model with a current llama.cpp"
        case let .truncated(what, offset, needed, fileSize):
            return "truncated or corrupt GGUF: \(what) needs \(needed) bytes at offset \(offset) but the file has \(fileSize) — re-download the file"
        case let .invalidValueType(key, type):
            return "corrupt GGUF: metadata key '\(key)' has unknown value type \(type)"
        case let .invalidTensor(name, reason):
            return "corrupt GGUF: tensor '\(name)': \(reason)"
        case let .unsupportedTensorType(name, type):
            let list = GGMLType.supported.map(\.description).joined(separator: ", ")
            return "tensor '\(name)' has type \(type), which cannot be dequantized; supported types: \(list) — use a model quantized to one of them"
        case let .missingKey(key):
            return "GGUF metadata has no key '\(key)'"
        case let .wrongValueType(key, expected):
            return "GGUF metadata key '\(key)' is not \(expected)"
        case let .missingTensor(name):
            return "GGUF file has no tensor '\(name)'"
        }
    }
}
