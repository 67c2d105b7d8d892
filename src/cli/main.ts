// The confn command: a commander program whose subcommands each live in ./commands/<name>.ts and
// export `register(program)`. Exit codes: 0 ok, 1 failure, 2 usage error (commander's own usage
// errors included, through exitOverride).
// Start-up cost is most of a CLI call's cost (issue 16 §1), so a command's module — and what it
// imports: the engine, the database, the server — loads only when that command runs. Every other
// command is registered by its name and summary only (its module is not imported), enough for `confn --help` and for
// commander's "did you mean" on a mistyped command.
import { Command, CommanderError } from "commander";
import { version } from "../api/version.ts";
import { EXIT_OK, EXIT_USAGE, reportCliError } from "./cli-error.ts";

/** The entity commands against a server (all registered by commands/entities.ts), as `--help` lists them. */
const ENTITY_COMMANDS: readonly (readonly [string, string])[] = [
  ["space", "manage Spaces on a confn server, by slug or ID"],
  ["unit", "manage Units on a confn server: data, diff, restore, by slug or ID"],
  ["revision", "list and read a Unit's Revisions on a confn server"],
  ["filter", "manage saved Filters on a confn server"],
  ["invocation", "manage saved Invocations on a confn server"],
  ["trigger", "manage Triggers on a confn server"],
  ["change-set", "manage ChangeSets on a confn server"],
];

interface CommandModule {
  register(program: Command): void;
}

interface CommandEntry {
  readonly name: string;
  /** The one line `confn --help` shows. */
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

/** Every top-level command, in the order `confn --help` lists them. Add a row per new command. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "serve", summary: "run the confn API server", load: () => import("./commands/serve.ts") },
  {
    name: "migrate",
    summary: "apply the database migrations",
    load: () => import("./commands/migrate.ts"),
  },
  {
    name: "org",
    summary: "manage organizations (directly in the database)",
    load: () => import("./commands/org.ts"),
  },
  {
    name: "token",
    summary: "manage API tokens (on a server with --server or CONFN_URL, else in the database)",
    load: () => import("./commands/token.ts"),
  },
  {
    name: "openapi",
    summary: "print or write the OpenAPI document of the server's API",
    load: () => import("./commands/openapi.ts"),
  },
  {
    name: "do",
    summary: "run one function on local files, a directory or stdin (no server)",
    load: () => import("./commands/do.ts"),
  },
  {
    name: "doseq",
    summary: "run a JSON list of function invocations on local files (no server)",
    load: () => import("./commands/doseq.ts"),
  },
  {
    name: "render",
    summary: "run a directory's confn.yaml pipeline (mutators, then validators) on its files",
    load: () => import("./commands/render.ts"),
  },
  {
    name: "function",
    summary: "list, explain and invoke functions on a confn server",
    load: () => import("./commands/function.ts"),
  },
  {
    name: "worker",
    summary: "manage bridge workers on a confn server, and run one (worker run SLUG MODULE)",
    load: () => import("./commands/worker.ts"),
  },
  ...ENTITY_COMMANDS.map(([name, summary]) => ({
    name,
    summary,
    load: () => import("./commands/entities.ts"),
  })),
];

/** The command word of `argv` (`confn help do` asks about do), or undefined. */
function requestedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/** The program with `argv`'s command loaded in full and every other command by name and summary only. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("confn")
    .description("confn: configuration-function invocation engine in the style of ConfigHub")
    .version(version)
    .showHelpAfterError()
    // Set before registering: subcommands inherit it when they are created.
    .exitOverride();
  const requested = COMMANDS.find((entry) => entry.name === requestedCommand(argv.slice(2)));
  // A module may register several commands (entities.ts: space, unit, ...): name-and-summary entries only for the rest.
  if (requested) (await requested.load()).register(program);
  for (const entry of COMMANDS) {
    const loaded = program.commands.find((c) => c.name() === entry.name);
    if (loaded) loaded.summary(entry.summary);
    else program.command(entry.name).summary(entry.summary);
  }
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
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
