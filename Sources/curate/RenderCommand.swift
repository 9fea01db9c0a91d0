import ArgumentParser
import CurateCore
import CuratePipeline
import CurateTemplates
import Foundation

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Apply instruction templates to stored conversations, making examples.",
        discussion: """
            Templates are data: templates/TASK.yaml holds many phrasings of a task (FLAN style), \
            some inverted (e.g. write a dialogue from a summary), with speaker-label variants \
            ("Person A:", "Speaker 1:", "Customer:"). Each training conversation gets \
            --per-conversation phrasings, chosen by a seeded hash of its content; validation and \
            test conversations get the task's first non-inverted phrasing, so evaluation prompts \
            are uniform. Every example records its conversation, task and template id.

            Examples are keyed by task, prompt and target: re-rendering adds nothing new.

            Examples:
              curate render --tasks summarize,topic
              curate render --tasks summarize --per-conversation 3 --seed 7 --templates my-templates/
            """)

    @Option(help: "Comma-separated tasks, each with a templates/TASK.yaml.")
    var tasks: String

    @Option(help: ArgumentHelp("The folder of template files.", valueName: "DIR"))
    var templates: String = "templates"

    @Option(help: "Phrasings per training conversation and task.")
    var perConversation: Int = 1

    @Option(help: "Seed for the choice of phrasings.")
    var seed: UInt64 = 0

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard perConversation >= 1 else { throw ValidationError("--per-conversation must be at least 1") }
        guard !taskList.isEmpty else { throw ValidationError("--tasks needs at least one task, e.g. --tasks summarize,topic") }
    }

    var taskList: [String] { tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        try reportingErrors {
            let job = RenderJob(tasks: taskList, templatesDirectory: URL(fileURLWithPath: templates),
                                configuration: .init(seed: seed, templatesPerConversation: perConversation))
            let store = try storeOptions.open()
            try withRun(store, command: "render") { runID in
                let result = try job.run(store: store, runID: runID, progress: Console.progress)
                Reports.printRender(result)
                return ("ok", .object([("stored", .int(result.counts.stored)), ("duplicates", .int(result.counts.duplicates))]))
            }
        }
    }
}
