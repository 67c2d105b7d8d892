// `confn space|unit|filter|invocation|trigger|change-set list|get|create|update|delete` and
// `confn revision list|get`, against a server, by slug or ID. Registration only: the actions load
// their modules when they run, so `confn --help` and the local commands do not pay for them.
import { Option, type Command } from "commander";
import { addConnectionOptions, processIo, runCommand, type CommandResult } from "../command-run.ts";
import { ENTITY_KINDS, type EntityKind } from "../remote/entity-kinds.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

const run = (command: () => Promise<CommandResult>) => async () => {
  process.exitCode = await runCommand(command);
};

const actions = () => import("./entity-actions.ts");
const unitActions = () => import("./unit-actions.ts");

function spaceOption(kind: EntityKind, command: Command, list = false): Command {
  if (!kind.inSpace) return command;
  return command.option(
    "--space <space>",
    list ? "the Space (slug or ID); without it, every Space of the organization" : "the Space (slug or ID)",
  );
}

function writeOptions(kind: EntityKind, command: Command, creating: boolean): Command {
  command
    .option("--display-name <name>", "a friendly name")
    .option("--label <key=value>", "a label (repeat for more; KEY- removes one)", collect)
    .option("--annotation <key=value>", "an annotation (repeat for more; KEY- removes one)", collect)
    .option("--set <json>", "more fields as a JSON object, or @FILE.json (any field the API takes)");
  for (const field of kind.createFlags) {
    const option = new Option(field.flag, field.description);
    if (field.kind === "arguments") option.argParser(collect);
    command.addOption(option);
  }
  if (kind.name === "unit") {
    command
      .option(
        "-f, --file <file>",
        `the config data: a file, or - for stdin${creating ? "" : " (a new Revision)"}`,
      )
      .option("--change-description <text>", "what the change is (the Revision's description)");
  }
  return command;
}

function registerKind(program: Command, kind: EntityKind): Command {
  const group = program
    .command(kind.name)
    .description(
      `manage ${kind.title}s on a confn server, by slug or ID (list, get, create, update, delete)`,
    );
  addConnectionOptions(
    spaceOption(kind, group.command("list").description(`list ${kind.title}s as a table`), true)
      .option("--where <expr>", "filter, e.g. \"Labels.tier = 'web'\"")
      .option("--contains <text>", "only entities containing this text")
      .option("--json", "print the API's answer"),
  ).action((flags) => run(async () => (await actions()).listEntities(kind, flags, processIo()))());

  const get = spaceOption(kind, group.command("get").argument("<slug>", "slug or ID"))
    .description(`show one ${kind.title}`)
    .option("--json", "print the API's answer");
  if (kind.name === "unit") get.option("--data", "print the Unit's config data, raw");
  addConnectionOptions(get).action((slug: string, flags) =>
    run(async () =>
      kind.name === "unit"
        ? (await unitActions()).getUnit(slug, flags, processIo())
        : (await actions()).getEntity(kind, slug, flags, processIo()),
    )(),
  );

  addConnectionOptions(
    writeOptions(
      kind,
      spaceOption(kind, group.command("create").argument("<slug>", "the new slug")).description(
        `create a ${kind.title}`,
      ),
      true,
    ).option("--json", "print the API's answer"),
  ).action((slug: string, flags) =>
    run(async () =>
      kind.name === "unit"
        ? (await unitActions()).createUnit(slug, flags, processIo())
        : (await actions()).createEntity(kind, slug, flags, processIo()),
    )(),
  );

  addConnectionOptions(
    writeOptions(
      kind,
      spaceOption(kind, group.command("update").argument("<slug>", "slug or ID")).description(
        `change a ${kind.title} (a merge patch with the Version just read: a concurrent change is a conflict)`,
      ),
      false,
    ).option("--json", "print the API's answer"),
  ).action((slug: string, flags) =>
    run(async () =>
      kind.name === "unit"
        ? (await unitActions()).updateUnit(slug, flags, processIo())
        : (await actions()).updateEntity(kind, slug, flags, processIo()),
    )(),
  );

  const del = spaceOption(kind, group.command("delete").argument("<slug>", "slug or ID"))
    .description(`delete a ${kind.title} (asks nothing; prints what it deleted)`)
    .option("--json", "print the API's answer");
  if (kind.name === "space") del.option("--recursive", "also delete the Space's Units and other entities");
  addConnectionOptions(del).action((slug: string, flags) =>
    run(async () => (await actions()).deleteEntity(kind, slug, flags, processIo()))(),
  );
  return group;
}

function registerUnitExtras(unit: Command): void {
  addConnectionOptions(
    unit
      .command("diff")
      .description("unified diff of two Revisions' data (default: the one before TO, and TO = the head)")
      .argument("<slug>", "slug or ID")
      .argument("[from]", "revision number")
      .argument("[to]", "revision number (default: the head)")
      .option("--space <space>", "the Space (slug or ID)"),
  ).action((slug: string, from: string | undefined, to: string | undefined, flags) =>
    run(async () => (await unitActions()).diffUnit(slug, from, to, flags, processIo()))(),
  );
  addConnectionOptions(
    unit
      .command("restore")
      .description("take an earlier Revision's data back, as a new Revision")
      .argument("<slug>", "slug or ID")
      .argument("<revision>", "the revision number whose data to restore")
      .option("--space <space>", "the Space (slug or ID)")
      .option("--change-description <text>", "the new Revision's description")
      .option("--json", "print the API's answer"),
  ).action((slug: string, revision: string, flags) =>
    run(async () => (await unitActions()).restoreUnit(slug, revision, flags, processIo()))(),
  );
}

function registerRevision(program: Command): void {
  const revision = program
    .command("revision")
    .description("read a Unit's Revisions on a confn server, by number");
  addConnectionOptions(
    revision
      .command("list")
      .description("a Unit's Revisions as a table")
      .argument("<unit>", "the Unit's slug or ID")
      .requiredOption("--space <space>", "the Space (slug or ID)")
      .option("--json", "print the API's answer"),
  ).action((unit: string, flags) =>
    run(async () => (await unitActions()).listRevisions(unit, flags, processIo()))(),
  );
  addConnectionOptions(
    revision
      .command("get")
      .description("one Revision of a Unit")
      .argument("<unit>", "the Unit's slug or ID")
      .argument("<revision>", "the revision number")
      .requiredOption("--space <space>", "the Space (slug or ID)")
      .option("--data", "print the Revision's config data, raw")
      .option("--json", "print the API's answer"),
  ).action((unit: string, num: string, flags) =>
    run(async () => (await unitActions()).getRevision(unit, num, flags, processIo()))(),
  );
}

export function register(program: Command): void {
  for (const kind of ENTITY_KINDS) {
    const group = registerKind(program, kind);
    if (kind.name === "unit") registerUnitExtras(group);
  }
  registerRevision(program);
}
