import CurateCore
import CurateMix

/// Pools of questions for the mixer: `ids` become items of one dataset, each rendered
/// zero-shot (example id = the id) and, when asked, few-shot (id + 100_000) and with options
/// (id + 200_000; few-shot with options id + 300_000).
func pools(_ tasks: [String: [String: Range<Int>]], fewShot: Bool = false, options: Bool = false) -> [String: [String: [PoolItem]]] {
    Dictionary(uniqueKeysWithValues: tasks.map { task, datasets in
        (task, Dictionary(uniqueKeysWithValues: datasets.map { dataset, ids in
            (dataset, ids.map { id in
                var variants: [ExampleVariant: ExampleSummary] = [:]
                for variant in ExampleVariant.all where (!variant.fewShot || fewShot) && (!variant.options || options) {
                    let offset = (variant.fewShot ? 100_000 : 0) + (variant.options ? 200_000 : 0)
                    variants[variant] = ExampleSummary(exampleID: Int64(id + offset), task: task, dataset: dataset, conversationID: Int64(id),
                                                       templateID: "t\(id % 3)", variant: variant, characters: 10, words: 2)
                }
                return PoolItem(conversationID: Int64(id), templateID: "t\(id % 3)", variants: variants)
            })
        }))
    })
}

/// Pools of one dataset ("d") per task.
func pools(_ tasks: [String: Range<Int>]) -> [String: [String: [PoolItem]]] {
    pools(tasks.mapValues { ["d": $0] })
}

extension Mixture {
    /// The report line of a task (dataset nil) or of one of its datasets.
    func line(_ task: String, _ dataset: String? = nil) -> MixLine? {
        report.lines.first { $0.task == task && $0.dataset == dataset }
    }

    func counts(_ tasks: [String]) -> [Int] { tasks.map { line($0)?.count ?? -1 } }
}
