// The confn command: a commander program whose subcommands each live in ./commands/<name>.ts and
// export `register(program)`. Exit codes: 0 ok, 1 failure, 2 usage error (commander's own usage
// errors included, through exitOverride).
import { Command, CommanderError } from "commander";
import { version } from "../api/version.ts";
import { EXIT_OK, EXIT_USAGE, reportCliError } from "./cli-error.ts";
import { register as registerDo } from "./commands/do.ts";
import { register as registerDoseq } from "./commands/doseq.ts";
import { register as registerFunction } from "./commands/function.ts";
import { register as registerMigrate } from "./commands/migrate.ts";
import { register as registerOpenApi } from "./commands/openapi.ts";
import { register as registerOrg } from "./commands/org.ts";
import { register as registerServe } from "./commands/serve.ts";
import { register as registerToken } from "./commands/token.ts";
import { register as registerWorker } from "./commands/worker.ts";

export function buildProgram(): Command {
  const program = new Command("confn")
    .description("confn: configuration-function invocation engine in the style of ConfigHub")
    .version(version)
    .showHelpAfterError()
    // Set before registering: subcommands inherit it when they are created.
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerOrg(program);
  registerToken(program);
  registerOpenApi(program);
  registerDo(program);
  registerDoseq(program);
  registerFunction(program);
  registerWorker(program);
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; everything else commander rejects is usage.
      process.exitCode = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    process.exitCode = reportCliError(error);
  }
}

// `confn openapi | head`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(EXIT_OK);
  throw error;
});

await main(process.argv);
