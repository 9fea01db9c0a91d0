import ArgumentParser

@main
struct Curate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "Turn raw chat logs into instruction-tuning datasets.",
        discussion: """
            Stages run in data-flow order, each reading and writing the SQLite store (curate.db by default):

              ingest  chat logs → conversations (turns, speakers, annotations, provenance)
              render  conversations × instruction templates → examples
              mix     per-task example pools → a seeded, balanced mixture
              shard   mixture → JSONL shards in a trainer's format + manifest.json
              stats   what the store holds
              report  one HTML page: sources, mixture, lengths, rejects, eval, training loss, forgetting
              templates list|show TASK   the instruction templates built into curate

            The bundled model runtime (SmolLM2-135M-Instruct GGUF on OpenBLAS):

              model fetch  download and verify a model
              generate     answer one prompt
              eval         score a model on shards, per task (ROUGE, exact match, rating accuracy)

            `curate run RECIPE.yaml` runs them all from one recipe. ingest, stats, mix, shard, \
            eval and report take --json: one JSON object on stdout, the table on stderr.

            Quick start:
              curate run recipes/demo.yaml
              curate stats --store out/demo.db
            """,
        version: "0.1.0",
        subcommands: [IngestCommand.self, RenderCommand.self, MixCommand.self, ShardCommand.self,
                      StatsCommand.self, RunCommand.self, FormatsCommand.self,
                      ModelCommand.self, GenerateCommand.self, EvalCommand.self, TrainCommand.self, ExperimentCommand.self,
                      TemplatesCommand.self, ReportCommand.self])
}
