// `confn worker create|list|get|delete|rotate-secret|run` and `confn function do --worker` against a
// real server (the app on a test database, listening on an ephemeral port): what each prints, the
// exit codes, slug lookup (per Space and across the organization), and how `worker run` obtains a
// secret: a new worker's from its creation, an existing one's by rotation, or CONFIGHUB_WORKER_SECRET
// without rotation. `worker run` connects to a fake worker port here (CONFIGHUB_WORKER_PORT).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  doFunction,
  explainFunction,
  runCommand,
  type CommandIo,
  type CommandResult,
} from "../../src/cli/commands/function.ts";
import {
  createWorkerCommand,
  deleteWorkerCommand,
  getWorkerCommand,
  listWorkersCommand,
  rotateSecretCommand,
  runWorkerCommand,
  type RunIo,
} from "../../src/cli/commands/worker.ts";
import { createEntity, listEntities, updateEntity } from "../../src/cli/commands/entity-actions.ts";
import { INVOCATION, TRIGGER } from "../../src/cli/remote/entity-kinds.ts";
import { FunctionRegistry, NIL_UUID } from "../../src/engine/index.ts";
import { WorkerConnections } from "../../src/invoke/index.ts";
import { recordWorkerConnected } from "../../src/store/bridge-workers.ts";
import type { Database } from "../../src/store/database.ts";
import { workerInfoOf } from "../../src/worker/worker-info.ts";
import { requireCostCenter, setCostCenter } from "../../examples/worker/cost-center.ts";
import { testDatabases } from "../support/databases.ts";
import { FakeWorkerPort } from "../support/fake-worker-port.ts";
import { buildTestApp, type TestApp } from "../support/test-app.ts";

const EXAMPLE = fileURLToPath(new URL("../../examples/worker/cost-center.ts", import.meta.url));

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

interface Run {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** `KEY=value` lines as printed by create and rotate-secret. */
function environment(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

describe.each(testDatabases())("confn worker against a server on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let url: string;
  let dir: string;
  let requests: { url: string; body: unknown; response: unknown }[];

  beforeAll(async () => {
    database = await target.open();
    dir = mkdtempSync(join(tmpdir(), "confn-worker-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    t = await buildTestApp(database, { workerConnections: new WorkerConnections(database.db) });
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    for (const slug of ["demo", "other"]) {
      const space = await t.request({ method: "POST", url: "/api/space", body: { Slug: slug } });
      expect(space.statusCode, space.body).toBe(200);
    }
    requests = [];
    return () => t.close();
  });

  function io(env: NodeJS.ProcessEnv = {}): CommandIo & { stdout: Capture; stderr: Capture } {
    // Records what the CLI sends, then lets the real server answer.
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      requests.push({
        url: String(input),
        body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
        response: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text,
      });
      return response;
    };
    return {
      env: { CONFN_URL: url, CONFN_TOKEN: t.org.tokens.admin, ...env },
      cwd: dir,
      stdout: new Capture(),
      stderr: new Capture(),
      fetch: recording,
    };
  }

  async function run(
    command: (io: CommandIo) => Promise<CommandResult>,
    env: NodeJS.ProcessEnv = {},
  ): Promise<Run> {
    const streams = io(env);
    const code = await runCommand(() => command(streams), streams);
    return { code, stdout: streams.stdout.text, stderr: streams.stderr.text };
  }

  it("create prints the worker's environment once; list and get show it without the secret", async () => {
    const created = await run((s) => createWorkerCommand("policy", { space: "demo" }, s));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toBe(
      "created worker policy in space demo; its secret is shown only now (confn worker rotate-secret issues a new one):\n",
    );
    const env = environment(created.stdout);
    expect(Object.keys(env)).toEqual(["CONFIGHUB_URL", "CONFIGHUB_WORKER_ID", "CONFIGHUB_WORKER_SECRET"]);
    expect(env.CONFIGHUB_URL).toBe(url);
    expect(env.CONFIGHUB_WORKER_SECRET).toMatch(/^confn_worker_/);

    const list = await run((s) => listWorkersCommand({}, s));
    expect(list.stdout).toMatch(
      new RegExp(
        `^SPACE +SLUG +CONDITION +LAST-SEEN +FUNCTIONS +ID\\ndemo +policy +Disconnected +never +0 +${env.CONFIGHUB_WORKER_ID}\\n$`,
      ),
    );
    const get = await run((s) => getWorkerCommand("policy", { json: true }, s));
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ BridgeWorkerID: env.CONFIGHUB_WORKER_ID, Slug: "policy" });
    expect(get.stdout).not.toContain("Secret");
    const details = await run((s) => getWorkerCommand(env.CONFIGHUB_WORKER_ID!, {}, s));
    expect(details.stdout).toContain("no functions registered (the worker has not connected yet)\n");

    const again = await run((s) => createWorkerCommand("policy", { space: "demo" }, s));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^confn: create worker policy in space demo: 409: .*already exists/);
  });

  it("rotate-secret prints a new secret; delete removes the worker; unknown workers are usage errors", async () => {
    const first = environment((await run((s) => createWorkerCommand("policy", { space: "demo" }, s))).stdout);
    const rotated = await run((s) => rotateSecretCommand("policy", { space: "demo" }, s));
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain("rotated the secret of worker policy: the old one no longer works");
    const second = environment(rotated.stdout);
    expect(second.CONFIGHUB_WORKER_ID).toBe(first.CONFIGHUB_WORKER_ID);
    expect(second.CONFIGHUB_WORKER_SECRET).toMatch(/^confn_worker_/);
    expect(second.CONFIGHUB_WORKER_SECRET).not.toBe(first.CONFIGHUB_WORKER_SECRET);

    const deleted = await run((s) => deleteWorkerCommand("policy", { space: "demo" }, s));
    expect(deleted).toMatchObject({
      code: 0,
      stdout: `deleted worker policy (${first.CONFIGHUB_WORKER_ID}) of space demo\n`,
    });
    expect((await run((s) => listWorkersCommand({ space: "demo" }, s))).stdout).toBe("no workers\n");

    const missing = await run((s) => getWorkerCommand("policy", { space: "demo" }, s));
    expect(missing).toMatchObject({
      code: 2,
      stderr:
        "confn: there is no worker policy in space demo (create it with: confn worker create policy --space demo)\n",
    });
    const badSlug = await run((s) => rotateSecretCommand("no such'worker", {}, s));
    expect(badSlug.code).toBe(2);
    expect(badSlug.stderr).toContain("worker no such'worker: expected a slug");
  });

  it("a slug used in several Spaces needs --space", async () => {
    await run((s) => createWorkerCommand("policy", { space: "demo" }, s));
    await run((s) => createWorkerCommand("policy", { space: "other" }, s));
    const ambiguous = await run((s) => getWorkerCommand("policy", {}, s));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(
      /^confn: worker policy exists in several Spaces \((demo, other|other, demo)\): name one with --space\n$/,
    );
    expect((await run((s) => getWorkerCommand("policy", { space: "other" }, s))).code).toBe(0);
    expect((await run((s) => createWorkerCommand("x", {}, s))).stderr).toBe(
      "confn: name the worker's Space with --space SPACE to create a worker\n",
    );
  });

  it("function do --worker sends the worker's ID as BridgeWorkerID; an unknown worker sends nothing", async () => {
    const { CONFIGHUB_WORKER_ID: id } = environment(
      (await run((s) => createWorkerCommand("policy", { space: "demo" }, s))).stdout,
    );
    requests = [];
    await run((s) =>
      doFunction("set-cost-center", ["cc-1"], { space: "demo", worker: "policy", dryRun: true }, s),
    );
    const invoke = requests.find((r) => r.url.includes("/function/invoke"));
    expect(invoke?.url).toContain("dry_run=true");
    expect(invoke?.body).toMatchObject({
      BridgeWorkerID: id,
      FunctionInvocations: [{ FunctionName: "set-cost-center", Arguments: [{ Value: "cc-1" }] }],
    });

    requests = [];
    const unknown = await run((s) =>
      doFunction("set-cost-center", ["cc-1"], { space: "demo", worker: "nope" }, s),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "confn: there is no worker nope in the organization (create it with: confn worker create nope --space demo)\n",
    );
    const mistyped = await run((s) =>
      doFunction("set-cost-center", ["cc-1"], { space: "demo", worker: "polcy" }, s),
    );
    expect(mistyped).toMatchObject({
      code: 2,
      stderr: "confn: there is no worker polcy in the organization (did you mean policy?)\n",
    });
    expect((await run((s) => getWorkerCommand("polcy", {}, s))).stderr).toBe(
      "confn: there is no worker polcy in the organization (did you mean policy?)\n",
    );
    expect(requests.some((r) => r.url.includes("/function/invoke"))).toBe(false);

    // A worker of another Space serves this one's Units, as the API allows: found across the organization.
    const { CONFIGHUB_WORKER_ID: shared } = environment(
      (await run((s) => createWorkerCommand("shared", { space: "other" }, s))).stdout,
    );
    requests = [];
    await run((s) =>
      doFunction("set-cost-center", ["cc-2"], { space: "demo", worker: "shared", dryRun: true }, s),
    );
    expect(requests.find((r) => r.url.includes("/function/invoke"))?.body).toMatchObject({
      BridgeWorkerID: shared,
    });
    // Deleting a worker that is not there does not suggest creating it.
    const gone = await run((s) => deleteWorkerCommand("nobody", { space: "demo" }, s));
    expect(gone).toMatchObject({ code: 2, stderr: "confn: there is no worker nobody in space demo\n" });
  });

  it("saved Invocations and Triggers name their worker with --worker, and a forgotten --worker is named", async () => {
    // A worker of Space `other` that has registered the example's functions (as on its connect).
    const { CONFIGHUB_WORKER_ID: id } = environment(
      (await run((s) => createWorkerCommand("policy", { space: "other" }, s))).stdout,
    );
    const info = workerInfoOf(FunctionRegistry.from([requireCostCenter, setCostCenter]));
    const key = { organizationId: t.org.organizationId, bridgeWorkerId: id! };
    expect(await recordWorkerConnected(database.db, key, { ...info }, "127.0.0.1")).toBe(true);
    const policy = {
      space: "demo",
      event: "Mutation",
      toolchain: "Kubernetes/YAML",
      function: "require-cost-center",
    };

    // By slug, found across the organization (the trigger's Space has no worker of that name).
    requests = [];
    const created = await run((s) => createEntity(TRIGGER, "cc", { ...policy, worker: "policy" }, s));
    expect(created.code, created.stderr).toBe(0);
    expect(requests.find((r) => r.url.endsWith("/trigger"))?.body).toMatchObject({ BridgeWorkerID: id });
    const listed = await run((s) => listEntities(TRIGGER, { space: "demo" }, s));
    expect(listed.stdout).toMatch(/^SLUG +EVENT +FUNCTION +ARGUMENTS +DISABLED +WORKER +ID\n/);
    expect(listed.stdout).toMatch(/\ncc +Mutation +require-cost-center +false +policy +[0-9a-f-]{36}\n/);
    const orgWide = await run((s) => listEntities(TRIGGER, {}, s));
    expect(orgWide.stdout).toMatch(/\ndemo +cc +Mutation +require-cost-center +false +policy /);

    // The worker's function saved without its worker: the server's 400, and which worker offers it.
    const hint =
      "(require-cost-center is a bridge worker's function, offered by policy (space other): " +
      "name the worker with --worker policy)";
    const forgotten = await run((s) => createEntity(TRIGGER, "cc2", policy, s));
    expect(forgotten.code).toBe(2);
    expect(forgotten.stderr).toContain(
      "function require-cost-center does not exist for toolchain Kubernetes/YAML\n",
    );
    expect(forgotten.stderr).toContain(hint);
    // `--worker ''` moves a saved call to the built-ins, which lack this function.
    const cleared = await run((s) => updateEntity(TRIGGER, "cc", { space: "demo", worker: "" }, s));
    expect(cleared.code).toBe(2);
    expect(cleared.stderr).toContain(hint);
    const doing = await run((s) => doFunction("require-cost-center", [], { space: "demo", dryRun: true }, s));
    expect(doing.code).toBe(2);
    expect(doing.stderr).toContain(hint);
    // Forgotten --worker on a toolchain the worker does not serve: both flags are named.
    const otherToolchain = { space: "demo", dryRun: true, toolchain: "AppConfig/Properties" };
    const neither = await run((s) => doFunction("require-cost-center", [], otherToolchain, s));
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain(
      "(require-cost-center is a bridge worker's function, offered by policy (space other, for " +
        "Kubernetes/YAML): name the worker and its toolchain with --worker policy --toolchain Kubernetes/YAML)",
    );
    // The worker named, the toolchain not its function's: --toolchain is named.
    const onWorker = { org: true, worker: "policy", dryRun: true, toolchain: "AppConfig/Properties" };
    const wrongToolchain = await run((s) => doFunction("require-cost-center", [], onWorker, s));
    expect(wrongToolchain.code).toBe(2);
    expect(wrongToolchain.stderr).toContain(
      "does not exist for toolchain AppConfig/Properties on bridge worker policy",
    );
    expect(wrongToolchain.stderr).toContain(
      "\n(policy offers require-cost-center for Kubernetes/YAML: name the toolchain with --toolchain Kubernetes/YAML)",
    );
    const explained = await run((s) =>
      explainFunction("require-cost-center", { worker: "policy", toolchain: "AppConfig/Properties" }, s),
    );
    expect(explained).toMatchObject({
      code: 2,
      stderr:
        "confn: function require-cost-center does not exist for toolchain AppConfig/Properties on bridge worker " +
        "policy\n(policy offers require-cost-center for Kubernetes/YAML: name the toolchain with --toolchain " +
        "Kubernetes/YAML)\n",
    });
    // A built-in called through a worker that does not offer it: --worker is what to drop.
    const builtIn = await run((s) =>
      doFunction("set-label", ["a", "b"], { org: true, worker: "policy", dryRun: true }, s),
    );
    expect(builtIn.code).toBe(2);
    expect(builtIn.stderr).toContain("\n(set-label is a built-in function: leave out --worker to run it)");

    // A built-in call moved back to the built-ins with '' (the nil UUID); mistakes are usage errors.
    requests = [];
    const labels = { space: "demo", toolchain: "Kubernetes/YAML", function: "set-label", arg: ["a", "b"] };
    expect((await run((s) => createEntity(INVOCATION, "label", { ...labels, worker: "" }, s))).code).toBe(0);
    expect(requests.find((r) => r.url.endsWith("/invocation"))?.body).toMatchObject({
      BridgeWorkerID: NIL_UUID,
    });
    expect(await run((s) => createEntity(INVOCATION, "x", { ...labels, worker: "polcy" }, s))).toMatchObject({
      code: 2,
      stderr: "confn: there is no worker polcy in the organization (did you mean policy?)\n",
    });
    const both = { ...labels, worker: "policy", set: `{"BridgeWorkerID": "${id}"}` };
    expect(await run((s) => createEntity(INVOCATION, "y", both, s))).toMatchObject({
      code: 2,
      stderr: "confn: --worker and --set both give BridgeWorkerID: pass one of them\n",
    });

    // Deleting the worker says which saved calls still name it (they fail closed from now on).
    const deleted = await run((s) => deleteWorkerCommand("policy", {}, s));
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toBe(
      "warning: Trigger demo/cc still names worker policy: it fails (and a Trigger blocks its Space's " +
        "changes) until given another worker (--worker SLUG, or --worker '' for the built-ins) or deleted\n",
    );
    // The list shows the worker it still names as deleted, not as a bare ID.
    const orphan = await run((s) => listEntities(TRIGGER, { space: "demo" }, s));
    expect(orphan.stdout).toMatch(
      /\ncc +Mutation +require-cost-center +false +[0-9a-f-]{36} \(deleted\) +[0-9a-f-]{36}\n/,
    );
  });

  describe("worker run", () => {
    let fake: FakeWorkerPort | undefined;

    async function runWorker(ref: string, module: string, env: NodeJS.ProcessEnv, flags = {}): Promise<Run> {
      const streams: RunIo & { stdout: Capture; stderr: Capture } = {
        ...io({ CONFIGHUB_WORKER_PORT: String(fake?.workerPort ?? 1), ...env }),
        handleSignals: false,
        // Stop as soon as the worker has registered: the test is about how it got there.
        onWorker: (worker) => worker.once("connected", () => void worker.stop()),
      };
      const code = await runWorkerCommand(ref, module, { space: "demo", ...flags }, streams);
      return { code, stdout: streams.stdout.text, stderr: streams.stderr.text };
    }

    afterAll(async () => fake?.close());

    it("creates a missing worker and connects with the secret its creation returned", async () => {
      await fake?.close();
      fake = await new FakeWorkerPort({}).listen();
      requests = [];
      const result = await runWorker("policy", EXAMPLE, {});
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("created worker policy in space demo\n");
      const created = requests.find((r) => r.url.endsWith("/bridge_worker") && r.body !== undefined)
        ?.response as {
        BridgeWorkerID: string;
        Secret: string;
      };
      expect(created.Secret).toMatch(/^confn_worker_/);
      expect(fake.requests[0]).toBe(`GET /api/bridge_worker/${created.BridgeWorkerID}/me`);
      expect(fake.registrations[0]?.headers.authorization).toBe(`Bearer ${created.Secret}`);
    });

    it("rotates an existing worker's secret, or uses CONFIGHUB_WORKER_SECRET without rotating", async () => {
      const created = environment(
        (await run((s) => createWorkerCommand("policy", { space: "demo" }, s))).stdout,
      );
      const id = created.CONFIGHUB_WORKER_ID!;
      await fake?.close();
      fake = await new FakeWorkerPort({ workerId: id }).listen();

      const given = await runWorker("policy", EXAMPLE, {
        CONFIGHUB_WORKER_SECRET: created.CONFIGHUB_WORKER_SECRET,
      });
      expect(given.code, given.stderr).toBe(0);
      expect(given.stderr).not.toContain("rotated");
      expect(fake!.registrations.at(-1)?.headers.authorization).toBe(
        `Bearer ${created.CONFIGHUB_WORKER_SECRET}`,
      );
      expect(
        Object.keys(
          fake!.registrations.at(-1)?.info.FunctionWorkerInfo?.SupportedFunctions?.["Kubernetes/YAML"] ?? {},
        ),
      ).toEqual(["require-cost-center", "set-cost-center"]);
      expect(given.stderr).toContain(`serving ${EXAMPLE} as worker policy (${id}) of space demo\n`);
      expect(given.stderr).toMatch(/worker policy stopped\n$/);

      const rotated = await runWorker("policy", EXAMPLE, {});
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stderr).toContain("rotated the secret of worker policy to connect");
      const used = fake!.registrations.at(-1)?.headers.authorization;
      expect(used).toMatch(/^Bearer confn_worker_/);
      expect(used).not.toBe(`Bearer ${created.CONFIGHUB_WORKER_SECRET}`);

      // A secret too short to be one is named by its variable, and nothing is rotated for it.
      requests = [];
      const short = await runWorker("policy", EXAMPLE, { CONFIGHUB_WORKER_SECRET: "x" });
      expect(short).toMatchObject({
        code: 2,
        stderr: "confn: CONFIGHUB_WORKER_SECRET: a worker secret has at least 8 characters; this one has 1\n",
      });
      expect(requests.some((r) => r.url.includes("/secret"))).toBe(false);
    });

    it("refuses a missing or malformed module and a bad --concurrency before touching the server", async () => {
      writeFileSync(join(dir, "empty.mjs"), "export const nothing = 1;\n");
      const missing = await runWorker("policy", "missing.ts", {});
      expect(missing).toMatchObject({ code: 2 });
      expect(missing.stderr).toBe(
        `confn: worker module missing.ts: no such file (looked at ${join(dir, "missing.ts")})\n`,
      );
      const empty = await runWorker("policy", "empty.mjs", {});
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain("confn: empty.mjs exports no functions");
      // Definitions the worker would refuse (a duplicate, a misspelt toolchain) are refused first:
      // no worker created for them, and an existing one keeps its secret (its process keeps serving).
      const definition = (name: string, toolchain = "Kubernetes/YAML") =>
        `{ toolchains: [${JSON.stringify(toolchain)}], signature: { FunctionName: "${name}" }, invoke() {} }`;
      writeFileSync(join(dir, "dup.mjs"), `export default [${definition("dup")}, ${definition("dup")}];\n`);
      writeFileSync(join(dir, "toolchain.mjs"), `export default [${definition("tc", "Kubernetes/Yaml")}];\n`);
      requests = [];
      const dup = await runWorker("policy", "dup.mjs", {});
      expect(dup).toMatchObject({
        code: 2,
        stderr:
          "confn: the worker's functions: function dup is already registered for toolchain Kubernetes/YAML\n",
      });
      const toolchain = await runWorker("policy", "toolchain.mjs", {});
      expect(toolchain.code).toBe(2);
      expect(toolchain.stderr).toContain(
        "function tc: toolchain Kubernetes/Yaml is not one of Kubernetes/YAML, ",
      );
      expect(requests).toEqual([]);
      const concurrency = await runWorker("policy", EXAMPLE, {}, { concurrency: "0" });
      expect(concurrency).toMatchObject({
        code: 2,
        stderr: "confn: --concurrency 0: expected a whole number from 1 to 1024\n",
      });
      expect((await run((s) => listWorkersCommand({}, s))).stdout).toBe("no workers\n");
    });
  });
});
