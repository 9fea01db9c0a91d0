/// Errors a person can act on: each says what is wrong and what to do.
public enum TrainError: Error, CustomStringConvertible, Equatable {
    case badSetting(String)
    case badInput(String)
    case nonFiniteLoss(step: Int, lastFinite: Float?)
    case resumeMismatch(String)

    public var description: String {
        switch self {
        case let .badSetting(why), let .badInput(why), let .resumeMismatch(why): return why
        case let .nonFiniteLoss(step, last):
            let previous = last.map { "the last finite loss was \($0)" } ?? "no step had a finite loss"
            return "the loss became NaN or infinite at step \(step) (\(previous)) — lower --lr, raise --warmup, or check the data; the last checkpoint is kept"
        }
    }
}
