// `confn function list|explain|do`: against a confn server (`--server`, CONFN_URL), or for list
// and explain, this installation's standard library with `--local`. `function do` is the CI
// dry-run preview: one unified diff per changed Unit, validation results, a summary line, and
// exit 0 (all good) / 1 (a function failed or a validation did not pass) / 2 (usage: bad flags,
// a request the server rejects as wrong, an unknown Space or function).
import type { Command } from "commander";
import type { FunctionInvocation, FunctionSignature, ToolchainType } from "../../engine/index.ts";
import { DEFAULT_TOOLCHAIN, isToolchainType, TOOLCHAIN_TYPES } from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";
import {
  addConnectionOptions,
  processIo,
  runCommand,
  type CommandIo,
  type CommandResult,
} from "../command-run.ts";
import { version } from "../../api/version.ts";
import { formatRunReport, OUTPUT_FORMATS, parseOutputFormat } from "../output/output-format.ts";
import { invokeReportUnits } from "../remote/invoke-report-units.ts";
import { runVerdict } from "../run-verdict.ts";
import { calledFunctions, otherToolchainsHint } from "../remote/toolchain-hint.ts";
import { withApplyGates } from "../remote/unit-gates.ts";
import { formatFunctionExplanation, formatFunctionList } from "../output/function-listing.ts";
import { colourEnabled, COLOUR_MODES, painter, parseColourMode } from "../output/terminal-style.ts";
import { fetchSignatures, type SignatureMap } from "../remote/function-catalogue.ts";
import { ConfnClient } from "../remote/http-client.ts";
import { invokeFunctions } from "../remote/invoke-functions.ts";
import { fetchPreviousData } from "../remote/previous-data.ts";
import { progressOn } from "../remote/progress.ts";
import {
  fetchWorkerSignatures,
  workerForCall,
  withWorkerOfferHint,
  workerOfferHint,
} from "../remote/bridge-workers.ts";
import { FILTER } from "../remote/entity-kinds.ts";
import { savedCalls, savedEntityId } from "../remote/saved-entity-refs.ts";
import { resolveConnection, type ConnectionFlags } from "../remote/server-connection.ts";
import { suggestion } from "../remote/slug-resolution.ts";
import { selectSpace, type SelectedSpace } from "../remote/space-selection.ts";
import { localRegistry, parseFunctionArguments, readInput } from "./do.ts";
import { parseInvocationRequest } from "./doseq.ts";

// Re-exported: the tests and older callers import them from here.
export { runCommand, type CommandIo, type CommandResult };

interface ListingFlags extends ConnectionFlags {
  local?: boolean;
  /** A bridge worker (slug or ID) whose functions to read instead of the built-ins. */
  worker?: string;
  toolchain: string;
  json?: boolean;
  space?: string;
  where?: string;
}

export interface DoFlags extends ConnectionFlags {
  space?: string;
  org?: boolean;
  where?: string;
  whereData?: string;
  resourceType?: string;
  filter?: string;
  dryRun?: boolean;
  changeDescription?: string;
  numFilters?: string;
  stopOnError?: boolean;
  toolchain?: string;
  invocations?: string;
  /** Saved Invocations to run after the functions (slug or ID, repeatable). */
  savedInvocation?: string[];
  /** Triggers to run after the functions (slug or ID, repeatable). */
  trigger?: string[];
  json?: boolean;
  output?: string;
  color?: string;
  failOnNoMatch?: boolean;
  expectChanges?: boolean;
  /** A bridge worker (slug or ID) that runs the functions instead of the built-ins. */
  worker?: string;
}

function toolchainOf(flags: { toolchain: string }): ToolchainType {
  if (!isToolchainType(flags.toolchain)) {
    throw new CliUsageError(`--toolchain ${flags.toolchain}: expected one of ${TOOLCHAIN_TYPES.join(", ")}`);
  }
  return flags.toolchain;
}

function client(flags: ConnectionFlags, io: CommandIo): ConfnClient {
  return new ConfnClient(resolveConnection(flags, io), io.fetch);
}

/** `--space S` (slug or ID; `*` is the organization, as in cub), or undefined for the organization. */
async function spaceOf(c: ConfnClient, space: string | undefined): Promise<SelectedSpace | undefined> {
  return space === undefined || space === "*" ? undefined : selectSpace(c, space);
}

function localOnly(flags: ListingFlags): void {
  const remote = (["space", "where", "worker", "server", "tokenFile", "timeout"] as const).filter(
    (name) => flags[name] !== undefined,
  );
  if (remote.length > 0) {
    throw new CliUsageError(`--local reads no server: drop --${kebab(remote[0]!)}`);
  }
}

/** The signatures to list or explain: a worker's (--worker), or the server's built-ins. */
function catalogueOf(
  c: ConfnClient,
  flags: ListingFlags,
  selected?: SelectedSpace,
): (where: string | undefined) => Promise<SignatureMap> {
  return async (where) => {
    const space = selected ?? (await spaceOf(c, flags.space));
    if (flags.worker === undefined) return fetchSignatures(c, space, where);
    const { worker } = await workerForCall(c, space, flags.worker);
    return fetchWorkerSignatures(c, worker, where);
  };
}

export async function listFunctions(
  flags: ListingFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const toolchain = toolchainOf(flags);
  let byName: Record<string, FunctionSignature>;
  if (flags.local) {
    localOnly(flags);
    byName = localRegistry().list(toolchain)[toolchain] ?? {};
  } else {
    const c = client(flags, io);
    byName = (await catalogueOf(c, flags)(flags.where))[toolchain] ?? {};
  }
  if (flags.json) return { text: `${JSON.stringify({ [toolchain]: byName }, null, 2)}\n`, exitCode: 0 };
  return { text: formatFunctionList(Object.values(byName)), exitCode: 0 };
}

const FUNCTION_NAME = /^[A-Za-z0-9][-A-Za-z0-9_]*$/;

export async function explainFunction(
  name: string,
  flags: ListingFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const toolchain = toolchainOf(flags);
  let signature: FunctionSignature | undefined;
  let known: () => Promise<string[]>;
  let usage: string;
  let where = "in the standard library";
  /** Where else the function is offered, for the message when it is not found here. */
  let offered = async (): Promise<string> => "";
  if (flags.local) {
    localOnly(flags);
    signature = localRegistry().lookup(toolchain, name)?.signature;
    known = async () => Object.keys(localRegistry().list(toolchain)[toolchain] ?? {});
    usage = "confn do FILE --";
  } else {
    if (!FUNCTION_NAME.test(name)) {
      throw new CliUsageError(`function name ${JSON.stringify(name)}: expected letters, digits and -`);
    }
    const c = client(flags, io);
    const space = await spaceOf(c, flags.space);
    const lookup = catalogueOf(c, flags, space);
    signature = (await lookup(`FunctionName = '${name}'`))[toolchain]?.[name];
    known = async () => Object.keys((await lookup(undefined))[toolchain] ?? {});
    usage = `confn function do ${space ? `--space ${space.label}` : "--org"}${flags.worker ? ` --worker ${flags.worker}` : ""} --`;
    const workerRef = flags.worker;
    where = workerRef === undefined ? "on the server" : `on bridge worker ${workerRef}`;
    // Not a built-in, but maybe a bridge worker's: then say which. With --worker: the toolchain the
    // worker offers it for, or that it is a built-in.
    offered = async () =>
      workerOfferHint(
        c,
        toolchain,
        name,
        workerRef === undefined
          ? undefined
          : (await workerForCall(c, space, workerRef)).worker.BridgeWorkerID,
      );
  }
  if (!signature) {
    const names = await known();
    // Only a name a few edits away: the nearest of sixty is often no help (require-cost-center).
    const hint = suggestion(name, names);
    throw new CliUsageError(
      `function ${name} does not exist for toolchain ${toolchain} ${where}${hint}${await offered()}`,
    );
  }
  const text = flags.json
    ? `${JSON.stringify(signature, null, 2)}\n`
    : formatFunctionExplanation(signature, usage);
  return { text, exitCode: 0 };
}

/** The invocations of `function do`: FUNCTION [ARGS...] or --invocations FILE.json, never both. */
async function invocationsOf(
  functionName: string | undefined,
  words: readonly string[],
  flags: DoFlags,
): Promise<FunctionInvocation[]> {
  if (flags.invocations !== undefined) {
    if (functionName !== undefined) {
      throw new CliUsageError(
        `--invocations ${flags.invocations} and FUNCTION ${functionName} exclude each other`,
      );
    }
    const request = parseInvocationRequest(
      await readInput(flags.invocations, "invocations file"),
      flags.invocations,
    );
    if (request.invocations.length === 0) throw new CliUsageError(`${flags.invocations} lists no invocation`);
    // A request body's ChangeDescription applies unless the flag says otherwise.
    if (request.changeDescription !== undefined) flags.changeDescription ??= request.changeDescription;
    return request.invocations;
  }
  if (functionName === undefined) {
    // Only saved calls: the server runs them on their own.
    if (flags.savedInvocation?.length || flags.trigger?.length) return [];
    throw new CliUsageError(
      "name a FUNCTION (and its arguments), or pass --invocations FILE.json, --saved-invocation or --trigger",
    );
  }
  return [{ FunctionName: functionName, Arguments: parseFunctionArguments(functionName, words) }];
}

function numFiltersOf(flags: DoFlags): number {
  const n = flags.numFilters === undefined ? 0 : Number(flags.numFilters);
  if (!Number.isInteger(n) || n < 0) {
    throw new CliUsageError(`--num-filters ${flags.numFilters}: expected a non-negative integer`);
  }
  return n;
}

export async function doFunction(
  functionName: string | undefined,
  words: readonly string[],
  flags: DoFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  if (flags.org && flags.space !== undefined) throw new CliUsageError("--space and --org exclude each other");
  if (!flags.org && flags.space === undefined) {
    throw new CliUsageError("name the Units' Space with --space SPACE, or pass --org for every Space");
  }
  if (flags.toolchain !== undefined) toolchainOf({ toolchain: flags.toolchain });
  if (flags.json && flags.output !== undefined) {
    throw new CliUsageError("--json prints the server's response: drop it, or --output");
  }
  const format = flags.output === undefined ? "text" : parseOutputFormat(flags.output);
  const colour = parseColourMode(flags.color);
  const numFilters = numFiltersOf(flags);
  const invocations = await invocationsOf(functionName, words, flags);

  const c = client(flags, io);
  const space = await spaceOf(c, flags.org ? undefined : flags.space);
  const worker =
    flags.worker === undefined ? undefined : (await workerForCall(c, space, flags.worker)).worker;
  const saved = await savedCalls(c, space, flags);
  const filterId =
    flags.filter === undefined
      ? undefined
      : (await savedEntityId(c, space, FILTER, flags.filter, "--filter")).id;
  const dryRun = flags.dryRun === true;
  const progress = progressOn(io.stderr);
  const names = [...invocations.map((i) => i.FunctionName), ...saved.labels].join(", ");
  progress.update(
    `${dryRun ? "dry run: " : ""}invoking ${names}${worker ? ` through worker ${worker.Slug}` : ""} on ` +
      `${space ? `space ${space.label}` : "the organization"}...`,
  );
  try {
    const outcome = await invokeFunctions(
      c,
      {
        space,
        where: flags.where,
        whereData: flags.whereData,
        resourceType: flags.resourceType,
        filterId,
      },
      invocations,
      {
        dryRun,
        numFilters,
        stopOnError: flags.stopOnError === true,
        changeDescription: flags.changeDescription,
        toolchain: flags.toolchain,
        bridgeWorkerId: worker?.BridgeWorkerID,
        savedInvocationIds: saved.invocationIds,
        triggerIds: saved.triggerIds,
      },
    ).catch(async (error: unknown) => {
      // A worker's function called without --worker (or --toolchain): say which worker offers it.
      const called = invocations.map((i) => i.FunctionName);
      const toolchain = flags.toolchain ?? DEFAULT_TOOLCHAIN;
      throw await withWorkerOfferHint(error, c, toolchain, called, worker?.BridgeWorkerID);
    });
    const previous = flags.json
      ? new Map<never, string>()
      : await fetchPreviousData(c, outcome.elements, dryRun, (done, total) =>
          progress.update(`reading the previous data of changed units: ${done}/${total}`),
        );
    progress.done();
    const reported = invokeReportUnits(outcome.elements, previous, invocations, flags.toolchain);
    // A real run's failed validation may have gated what it wrote (a validating Trigger): say so.
    const units = dryRun || flags.json ? reported : await withApplyGates(c, outcome.elements, reported);
    const scope = space ? `space ${space.label}` : "the organization";
    const otherToolchains =
      units.length === 0 && flags.toolchain === undefined
        ? await otherToolchainsHint(
            c,
            space,
            flags.where,
            flags.whereData,
            invocations.length > 0
              ? calledFunctions(
                  invocations.map((i) => i.FunctionName),
                  worker,
                )
              : undefined,
          )
        : undefined;
    const verdict = runVerdict(units, flags, otherToolchains ?? `no unit of ${scope} matched`);
    if (flags.json) {
      return { text: `${JSON.stringify(outcome.raw ?? [], null, 2)}\n`, exitCode: verdict.exitCode };
    }
    const paint = painter(colourEnabled(io.stdout, io.env, colour));
    const report = { command: "confn function do", units, dryRun, warnings: verdict.warnings };
    return { text: formatRunReport(report, format, { paint, version }), exitCode: verdict.exitCode };
  } finally {
    progress.done();
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function register(program: Command): void {
  const fn = program.command("function").description("list, explain and invoke functions on a confn server");
  const run = (command: () => Promise<CommandResult>) => async () => {
    process.exitCode = await runCommand(command);
  };

  addConnectionOptions(
    fn
      .command("list")
      .description("list the functions of a toolchain (the server's, or --local)")
      .option("--local", "read this installation's standard library (no server)")
      .option("--space <space>", "list the functions available in this Space (slug or ID)")
      .option("--worker <worker>", "list this bridge worker's functions (slug or ID)")
      .option("--where <expr>", 'server-side filter over signatures, e.g. "Validating = true"')
      .option("--toolchain <type>", "toolchain to list", "Kubernetes/YAML")
      .option("--json", "print { ToolchainType: { name: FunctionSignature } }"),
  ).action((flags: ListingFlags) => run(() => listFunctions(flags))());

  addConnectionOptions(
    fn
      .command("explain")
      .description("describe one function: usage, properties and parameters")
      .argument("<name>", "function name")
      .option("--local", "read this installation's standard library (no server)")
      .option("--space <space>", "the Space whose functions to read (slug or ID)")
      .option("--worker <worker>", "a bridge worker's function (slug or ID)")
      .option("--toolchain <type>", "toolchain of the function", "Kubernetes/YAML")
      .option("--json", "print the FunctionSignature"),
  ).action((name: string, flags: ListingFlags) => run(() => explainFunction(name, flags))());

  addConnectionOptions(
    fn
      .command("do")
      .description(
        "invoke functions on a Space's (or the organization's) Units: per Unit a unified diff, errors and " +
          "validation results, then a summary; exit 1 when a function failed or a validation did not pass",
      )
      .argument("[function]", "function name (see confn function list)")
      .argument("[args...]", "arguments: positional, or --name=value (put -- before the function name)")
      .option("--space <space>", 'the Units\' Space (slug or ID; "*" = every Space)')
      .option("--org", "every Space of the organization")
      .option("--where <expr>", "Unit filter, e.g. \"Labels.tier = 'web'\"")
      .option("--where-data <expr>", 'config-data filter, e.g. "spec.replicas > 2"')
      .option("--resource-type <type>", "the resource type --where-data looks at, e.g. apps/v1/Deployment")
      .option("--filter <filter>", "a saved Filter (slug or ID), AND-ed with --where")
      .option("--dry-run", "run everything, write nothing (the CI preview)")
      .option("--change-description <text>", "description of the Revisions written")
      .option("--num-filters <n>", "the first N validating functions are filters: a failure skips the Unit")
      .option("--stop-on-error", "stop each Unit at its first function error")
      .option("--toolchain <type>", "the Units' toolchain (default Kubernetes/YAML)")
      .option("--invocations <file>", 'JSON list [{"FunctionName", "Arguments"}] instead of FUNCTION ARGS')
      .option(
        "--saved-invocation <invocation>",
        "also run this saved Invocation, after the functions (slug or ID; repeat for more)",
        collect,
      )
      .option(
        "--trigger <trigger>",
        "also run this Trigger's function, after the functions (slug or ID; repeat for more)",
        collect,
      )
      .option(
        "--worker <worker>",
        "run the functions on this bridge worker (slug or ID; see confn worker list)",
      )
      .option("--json", "print the server's response array")
      .option("--output <format>", `report format: ${OUTPUT_FORMATS.join(", ")} (default text)`)
      .option("--color <when>", `colour the text report: ${COLOUR_MODES.join(", ")} (default auto)`)
      .option("--fail-on-no-match", "exit 1 when no Unit is selected")
      .option("--expect-changes", "exit 1 when no Unit changed"),
  ).action((functionName: string | undefined, words: string[], flags: DoFlags) =>
    run(() => doFunction(functionName, words, flags))(),
  );
}
