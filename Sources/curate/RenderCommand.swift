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
            Templates are data: each task's TASK.yaml (built into curate; `curate templates list`, \
            or a folder given with --templates) holds many phrasings of a task (FLAN style), \
            some inverted (e.g. write a dialogue from a summary), with speaker-label variants \
            ("Person A:", "Speaker 1:", "Customer:"). Each training conversation gets \
            --per-conversation phrasings, chosen by a seeded hash of its content; validation and \
            test conversations get the task's first non-inverted phrasing, zero-shot, so \
            evaluation prompts are uniform.

            Each training phrasing is also rendered few-shot: --shots worked exemplars (the same \
            template on other training conversations of the same task and dataset, never an \
            evaluation split, never the conversation itself) before the question, pruned from \
            the end to --max-prompt-words whitespace tokens and, with --max-prompt-tokens, to that \
            many model tokens (SmolLM2's tokenizer unless --tokenizer names another GGUF): \
            trainers cut sequences by tokens, and a word is about 1.4 SmolLM2 tokens. With a \
            tokenizer every example's length in tokens is stored, and `curate mix` and \
            `curate stats` report p50, p95 and max per task. Tasks with answer options (rating) \
            also render every non-inverted phrasing with the options listed, in FLAN v2's varied \
            layouts. `curate mix --fewshot-ratio/--options-ratio` then picks among them.

            Tasks and the fields their templates read: summarize (dialogue, summary), topic \
            (dialogue, topic), ner (dialogue, entities: every span as 'label: text; …', or \
            'none' for a dialogue from an entity-labelled source with no span), rating \
            (dialogue, rating on the common 1–5 scale). A conversation without a field a \
            template needs is skipped for that task; the report names the reason and template.

            Every example records its conversation, task, template id, variant and exemplars. \
            Examples are keyed by task, prompt and target: re-rendering adds nothing new.

            Examples:
              curate render --tasks summarize,topic
              curate render --tasks summarize,ner,rating --per-conversation 2 --shots 3 --max-prompt-words 768
              curate render --tasks summarize --seed 7 --templates my-templates/ --shots 0
              curate render --tasks summarize --shots 0 --no-inverted
              curate render --tasks summarize,topic --max-prompt-tokens 1024 --tokenizer smollm2-135m
            """)

    @Option(help: "Comma-separated tasks, each with a templates/TASK.yaml.")
    var tasks: String

    @Option(help: ArgumentHelp("A folder of TASK.yaml template files (default: the built-in ones; `curate templates list`).", valueName: "DIR"))
    var templates: String?

    @Option(help: "Phrasings per training conversation and task.")
    var perConversation: Int = 1

    @Option(help: "Worked exemplars before the question in few-shot variants (0: render no few-shot variants).")
    var shots: Int = Renderer.Configuration().shots

    @Option(help: "Prune few-shot prompts to this many whitespace tokens.")
    var maxPromptWords: Int = Renderer.Configuration().maxPromptWords

    @Flag(help: "Render no inverted phrasings (summary → dialogue and the like).")
    var noInverted = false
    @Option(help: ArgumentHelp("Also prune few-shot prompts to N model tokens (with --tokenizer; default the runtime's SmolLM2).", valueName: "N"))
    var maxPromptTokens: Int?

    @Option(help: ArgumentHelp("Count every example's tokens with this model's tokenizer (a GGUF path or a known model name), for token-length reports.", valueName: "MODEL"))
    var tokenizer: String?

    @Option(help: "Seed for the choice of phrasings, exemplars and option layouts.")
    var seed: UInt64 = 0

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard perConversation >= 1 else { throw ValidationError("--per-conversation must be at least 1") }
        guard shots >= 0 else { throw ValidationError("--shots must be 0 or more") }
        guard maxPromptWords > 0 else { throw ValidationError("--max-prompt-words must be positive") }
        if let maxPromptTokens, maxPromptTokens <= 0 { throw ValidationError("--max-prompt-tokens must be positive") }
        guard !taskList.isEmpty else { throw ValidationError("--tasks needs at least one task, e.g. --tasks summarize,topic") }
    }

    var taskList: [String] { tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        try reportingErrors {
            let job = RenderJob(tasks: taskList, templatesDirectory: templates.map { URL(fileURLWithPath: $0) },
                                configuration: .init(seed: seed, templatesPerConversation: perConversation, shots: shots,
                                                     maxPromptWords: maxPromptWords, inverted: !noInverted, maxPromptTokens: maxPromptTokens),
                                tokenizer: tokenizer)
            let store = try storeOptions.open(.existing)
            try withRun(store, command: "render") { runID in
                let result = try job.run(store: store, runID: runID, progress: Console.progress, log: { Console.error($0) })
                Reports.printRender(result)
                return ("ok", .object([("stored", .int(result.counts.stored)), ("duplicates", .int(result.counts.duplicates))]))
            }
        }
    }
}
