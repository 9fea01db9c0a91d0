/// A LoRA adapter's settings, with PEFT's meanings (`LoraConfig`): rank r, alpha, dropout on
/// the adapter's input, the target modules, and the scaling alpha/r (alpha/√r with rsLoRA).
public struct LoRAConfig: Codable, Equatable, Sendable {
    public var rank: Int
    public var alpha: Float
    public var dropout: Float
    public var targets: [LinearModule]
    public var rsLoRA: Bool

    /// r=16, alpha=32, dropout 0.05 on every linear layer: the setting QLoRA's paper found to
    /// match full fine-tuning on small models, and the one the PyTorch reference used.
    public static let `default` = LoRAConfig(rank: 16, alpha: 32, dropout: 0.05, targets: LinearModule.allCases, rsLoRA: false)

    public init(rank: Int, alpha: Float, dropout: Float, targets: [LinearModule], rsLoRA: Bool) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = LinearModule.allCases.filter(targets.contains)
        self.rsLoRA = rsLoRA
    }

    public var scale: Float { rsLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank) }

    /// Parses `r=16,alpha=32,dropout=0.05,targets=q_proj+v_proj` (targets also `all-linear`;
    /// several targets are joined by `+` or `;` since `,` separates settings), plus `rslora`.
    /// Unset keys keep the defaults.
    public init(parsing text: String) throws {
        self = .default
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let (key, value) = (parts[0], parts.count > 1 ? parts[1] : "")
            func number<T: LosslessStringConvertible>(_: T.Type) throws -> T {
                guard let n = T(value) else { throw TrainError.badSetting("--lora \(key)=\(value): not a number") }
                return n
            }
            switch key {
            case "r", "rank": rank = try number(Int.self)
            case "alpha", "lora_alpha": alpha = try number(Float.self)
            case "dropout", "lora_dropout": dropout = try number(Float.self)
            case "rslora", "use_rslora": rsLoRA = value.isEmpty || value == "true" || value == "1"
            case "targets", "target_modules": targets = try Self.targets(value)
            default:
                throw TrainError.badSetting("--lora: unknown setting '\(key)' — use r, alpha, dropout, targets, rslora (e.g. r=16,alpha=32,dropout=0.05,targets=all-linear)")
            }
        }
        try validate()
    }

    /// PEFT module names separated by `+`, `;` or spaces, or `all-linear`.
    public static func targets(_ text: String) throws -> [LinearModule] {
        if text == "all-linear" { return LinearModule.allCases }
        let names = text.split(whereSeparator: { $0 == "+" || $0 == ";" || $0 == " " }).map(String.init)
        let modules = try names.map { name -> LinearModule in
            guard let m = LinearModule(rawValue: name) else {
                throw TrainError.badSetting("unknown LoRA target '\(name)' — llama's linear layers are \(LinearModule.allCases.map(\.rawValue).joined(separator: ", ")), or all-linear")
            }
            return m
        }
        guard !modules.isEmpty else { throw TrainError.badSetting("--lora targets is empty — name modules such as q_proj+v_proj, or all-linear") }
        return LinearModule.allCases.filter(modules.contains)
    }

    public func validate() throws {
        guard rank > 0 else { throw TrainError.badSetting("LoRA rank must be positive (got \(rank))") }
        guard alpha > 0, alpha.isFinite else { throw TrainError.badSetting("LoRA alpha must be positive (got \(alpha))") }
        guard (0 ..< 1).contains(dropout) else { throw TrainError.badSetting("LoRA dropout must be in [0, 1) (got \(dropout))") }
        guard !targets.isEmpty else { throw TrainError.badSetting("LoRA needs at least one target module") }
    }
}
