// `confn function list|explain|do` against a real server: the app on a test database, listening on
// an ephemeral port, driven through the command functions (and once through bin/confn.js, for
// argument parsing and process exit codes). Asserts the report (diffs, validations, summary), exit
// codes 0/1/2, --json, colour rules, the errors of a bad connection, and that a dry run writes
// nothing.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer, type Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  doFunction,
  explainFunction,
  listFunctions,
  runCommand,
  type CommandIo,
  type CommandResult,
  type DoFlags,
} from "../../src/cli/commands/function.ts";
import type { Database } from "../../src/store/database.ts";
import { testDatabases } from "../support/databases.ts";
import { buildTestApp, type TestApp } from "../support/test-app.ts";

const BIN = fileURLToPath(new URL("../../bin/confn.js", import.meta.url));

function deployment(name: string, replicas = 1, image = "nginx:1.25"): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "  namespace: apps",
    "spec:",
    `  replicas: ${replicas}`,
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: main",
    `        image: ${image}`,
    "",
  ].join("\n");
}

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY = false) {
    super();
  }
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

describe.each(testDatabases())("confn function against a server on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let url: string;
  let dir: string;
  let spaceId: string;

  beforeAll(async () => {
    database = await target.open();
    dir = mkdtempSync(join(tmpdir(), "confn-function-remote-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    t = await buildTestApp(database);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const space = await t.request({ method: "POST", url: "/api/space", body: { Slug: "demo" } });
    expect(space.statusCode, space.body).toBe(200);
    spaceId = space.json().SpaceID;
    for (const [slug, replicas] of [
      ["web", 1],
      ["api", 3],
    ] as const) {
      const unit = await t.request({
        method: "POST",
        url: `/api/space/${spaceId}/unit`,
        body: {
          Slug: slug,
          ToolchainType: "Kubernetes/YAML",
          Data: Buffer.from(deployment(slug, replicas)).toString("base64"),
          Labels: { tier: slug === "web" ? "front" : "back" },
        },
      });
      expect(unit.statusCode, unit.body).toBe(200);
    }
    return () => t.close();
  });

  interface IoOptions {
    env?: NodeJS.ProcessEnv;
    /** stdout is a terminal */
    tty?: boolean;
    /** stderr is a terminal */
    stderrTty?: boolean;
  }

  function io(options: IoOptions = {}): CommandIo & {
    stdout: Capture;
    stderr: Capture;
  } {
    return {
      env: { CONFN_URL: url, CONFN_TOKEN: t.org.tokens.admin, ...options.env },
      cwd: dir,
      stdout: new Capture(options.tty),
      stderr: new Capture(options.stderrTty),
    };
  }

  async function run(
    command: (io: CommandIo) => Promise<CommandResult>,
    options: IoOptions = {},
  ): Promise<Run> {
    const streams = io(options);
    const code = await runCommand(() => command(streams), streams);
    return { code, stdout: streams.stdout.text, stderr: streams.stderr.text };
  }

  const doIt = (fn: string | undefined, args: string[], flags: DoFlags, options = {}) =>
    run((streams) => doFunction(fn, args, flags, streams), options);

  async function unitData(slug: string): Promise<{ data: string; head: number }> {
    const list = await t.request({ method: "GET", url: `/api/space/${spaceId}/unit` });
    const unit = (list.json() as { Unit: { Slug: string; Data: string; HeadRevisionNum: number } }[]).find(
      (u) => u.Unit.Slug === slug,
    )!.Unit;
    return { data: Buffer.from(unit.Data, "base64").toString("utf8"), head: unit.HeadRevisionNum };
  }

  it("a dry run prints each Unit's unified diff and the summary, exits 0 and writes nothing", async () => {
    const result = await doIt("set-image", ["main", "nginx:1.27"], { space: "demo", dryRun: true });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        "demo/web: changed",
        "--- demo/web\tbefore",
        "+++ demo/web\tafter (dry run)",
        "@@ -9,4 +9,4 @@",
        "     spec:",
        "       containers:",
        "       - name: main",
        "-        image: nginx:1.25",
        "+        image: nginx:1.27",
        "",
      ].join("\n"),
    );
    expect(result.stdout).toContain("demo/api: changed\n");
    expect(result.stdout.endsWith("2 units, 2 changed, 0 failed; 2 would be written (dry run)\n")).toBe(true);
    expect(result.stdout).not.toContain("\u001b[");
    for (const slug of ["web", "api"]) {
      expect(await unitData(slug)).toEqual({ data: deployment(slug, slug === "web" ? 1 : 3), head: 1 });
    }
  });

  it("a failed validation is shown with its details and exits 1", async () => {
    const file = join(dir, "invocations.json");
    writeFileSync(
      file,
      JSON.stringify([
        { FunctionName: "set-replicas", Arguments: [{ Value: "2" }] },
        { FunctionName: "cel-validate", Arguments: [{ Value: "r.spec.replicas >= 3" }] },
      ]),
    );
    const result = await doIt(undefined, [], {
      space: "demo",
      where: "Labels.tier = 'front'",
      dryRun: true,
      invocations: file,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("demo/web: changed, validation failed\n");
    expect(result.stdout).toContain("-  replicas: 1\n+  replicas: 2\n");
    expect(result.stdout).toMatch(
      /validation: 0 passed, 1 failed\n {2}FAILED cel-validate \(#1\): .*r\.spec\.replicas >= 3/,
    );
    expect(result.stdout).not.toContain("demo/api");
    expect(result.stdout.endsWith("1 unit, 1 changed, 1 failed; 1 would be written (dry run)\n")).toBe(true);
  });

  it("runs saved Invocations and Triggers named by slug, after the functions, their results named", async () => {
    const save = async (path: string, slug: string, fn: string, arg: string, extra = {}) => {
      const saved = await t.request({
        method: "POST",
        url: `/api/space/${spaceId}/${path}`,
        body: {
          Slug: slug,
          ToolchainType: "Kubernetes/YAML",
          FunctionName: fn,
          Arguments: [{ Value: arg }],
          ...extra,
        },
      });
      expect(saved.statusCode, saved.body).toBe(200);
    };
    await save("invocation", "three-replicas", "cel-validate", "r.spec.replicas >= 3");
    await save("trigger", "in-apps", "cel-validate", "r.metadata.namespace == 'apps'", {
      Event: "Mutation",
      Disabled: true,
    });
    // Only saved calls: the Invocation's result, named by its function (its Index is 0 here).
    const policy = await doIt(undefined, [], {
      space: "demo",
      dryRun: true,
      savedInvocation: ["three-replicas"],
    });
    expect(policy.code).toBe(1);
    expect(policy.stdout).toMatch(
      /demo\/web: unchanged, validation failed\n.*\n {2}FAILED cel-validate \(#0\): /,
    );
    expect(policy.stdout).toContain(
      "demo/api: unchanged\nvalidation: 1 passed, 0 failed\n  passed cel-validate (#0)\n",
    );
    // After a function; a Trigger named in the call runs though it is disabled for changes.
    const both = await doIt("set-replicas", ["4"], {
      space: "demo",
      where: "Slug = 'web'",
      dryRun: true,
      savedInvocation: ["three-replicas"],
      trigger: ["in-apps"],
    });
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toContain("+  replicas: 4\n");
    expect(both.stdout).toContain(
      "validation: 2 passed, 0 failed\n  passed cel-validate (#1)\n  passed cel-validate (#2)\n",
    );
    // A saved Filter by slug selects the Units.
    const filter = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/filter`,
      body: { Slug: "front-end", From: "Unit", Where: "Labels.tier = 'front'" },
    });
    expect(filter.statusCode, filter.body).toBe(200);
    const filtered = await doIt(undefined, [], {
      space: "demo",
      filter: "front-end",
      dryRun: true,
      savedInvocation: ["three-replicas"],
    });
    expect(filtered.stdout).toContain("demo/web:");
    expect(filtered.stdout).not.toContain("demo/api");
    // A mistyped slug is a usage error that says which one was meant; nothing runs.
    const mistyped = await doIt(undefined, [], { space: "demo", savedInvocation: ["three-replica"] });
    expect(mistyped).toMatchObject({
      code: 2,
      stderr:
        "confn: --saved-invocation three-replica: no Invocation 'three-replica' in space demo (did you mean three-replicas?)\n",
    });
    expect((await doIt(undefined, [], { space: "demo" })).stderr).toBe(
      "confn: name a FUNCTION (and its arguments), or pass --invocations FILE.json, --saved-invocation or --trigger\n",
    );
  });

  it("--output sarif/junit, setter warnings and --fail-on-no-match / --expect-changes against a server", async () => {
    const sarif = await doIt("cel-validate", ["r.spec.replicas >= 3"], { space: "demo", output: "sarif" });
    expect(sarif.code).toBe(1);
    const results = JSON.parse(sarif.stdout).runs[0].results;
    expect(
      results.map((r: { ruleId: string; locations: { logicalLocations: { name: string }[] }[] }) => [
        r.ruleId,
        r.locations[0]!.logicalLocations[0]!.name,
      ]),
    ).toEqual([["cel-validate", "demo/web"]]);
    const junit = await doIt("cel-validate", ["r.spec.replicas >= 3"], { space: "demo", output: "junit" });
    expect(junit.stdout).toContain('tests="2" failures="1" errors="0"');

    const quiet = await doIt("set-image", ["nosuch", "nginx:1.27"], {
      space: "demo",
      dryRun: true,
      output: "json",
    });
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).units[0].warnings[0]).toMatch(
      /^set-image \(#0\) changed nothing in demo\/\w+: .*container is named nosuch/,
    );
    const none = await doIt("set-replicas", ["2"], {
      space: "demo",
      where: "Labels.tier = 'nope'",
      dryRun: true,
      failOnNoMatch: true,
    });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      "warning: nothing selected: no unit of space demo matched (--fail-on-no-match: exit 1)",
    );
    const same = await doIt("set-image", ["nosuch", "nginx:1.27"], {
      space: "demo",
      dryRun: true,
      expectChanges: true,
    });
    expect(same.code).toBe(1);
    expect(same.stdout).toContain("warning: nothing changed (--expect-changes: exit 1)");

    // Nothing selected on the default toolchain, where Units of another one would have been.
    const tf = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/unit`,
      body: {
        Slug: "versions",
        ToolchainType: "OpenTofu/HCL",
        Data: Buffer.from('terraform {\n  required_version = ">= 1.0"\n}\n').toString("base64"),
        Labels: { tier: "infra" },
      },
    });
    expect(tf.statusCode, tf.body).toBe(200);
    const args = ["terraform", "required_version", ">= 1.6"];
    const elsewhere = await doIt("set-string-path", args, {
      space: "demo",
      where: "Labels.tier = 'infra'",
      dryRun: true,
    });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain(
      "warning: nothing selected: no Kubernetes/YAML unit of space demo matched (the toolchain without " +
        "--toolchain); it has 1 OpenTofu/HCL unit that --where selects: pass --toolchain OpenTofu/HCL\n",
    );
    // A function the other toolchain does not offer is not sent there: the hint says so instead.
    const k8sOnly = await doIt("set-replicas", ["2"], {
      space: "demo",
      where: "Labels.tier = 'infra'",
      dryRun: true,
    });
    expect(k8sOnly.stdout).toContain(
      "it has 1 OpenTofu/HCL unit that --where selects, but set-replicas is not offered for it\n",
    );
    // A Unit list takes no where_data: the count is of the Units before it, and the hint says so.
    const filtered = await doIt("set-string-path", args, {
      space: "demo",
      where: "Labels.tier = 'infra'",
      whereData: "terraform.required_version = '>= 9'",
      dryRun: true,
    });
    expect(filtered.stdout).toContain(
      "it has 1 OpenTofu/HCL unit that --where selects (--where-data not checked on them): " +
        "pass --toolchain OpenTofu/HCL\n",
    );
    const named = await doIt("set-string-path", args, {
      space: "demo",
      where: "Labels.tier = 'infra'",
      dryRun: true,
      toolchain: "OpenTofu/HCL",
    });
    expect(named.stdout).toContain('+  required_version = ">= 1.6"');
  });

  it("a passing validation exits 0 and says so", async () => {
    const result = await doIt("cel-validate", ["r.spec.replicas >= 1"], { space: "demo", dryRun: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "demo/api: unchanged\nvalidation: 1 passed, 0 failed\n  passed cel-validate (#0)\n",
    );
    expect(result.stdout).not.toContain("---");
  });

  it("a function error names the Unit and exits 1; --where-data and --resource-type select Units", async () => {
    const result = await doIt("cel-validate", ["r.spec.replicas / 0 > 1"], {
      space: spaceId,
      whereData: "spec.replicas > 2",
      resourceType: "apps/v1/Deployment",
      dryRun: true,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^demo\/api: unchanged, error\nerror: .*resulted in error on resource apps\/api/,
    );
    expect(result.stdout).not.toContain("demo/web");
    expect(result.stdout).toContain("1 unit, 0 changed, 1 failed");
  });

  it("--json prints the server's response array and keeps the exit code", async () => {
    const result = await doIt("cel-validate", ["r.spec.replicas >= 3"], {
      org: true,
      dryRun: true,
      json: true,
    });
    expect(result.code).toBe(1);
    const elements = JSON.parse(result.stdout) as { UnitSlug: string; Success: boolean; Outputs: object }[];
    expect(elements.map((e) => e.UnitSlug).sort()).toEqual(["api", "web"]);
    expect(elements.every((e) => e.Success && "ValidationResultList" in e.Outputs)).toBe(true);
  });

  it("colours only on a terminal, and never with NO_COLOR", async () => {
    const args = ["main", "nginx:1.27"];
    const tty = await doIt("set-image", args, { space: "demo", dryRun: true }, { tty: true });
    expect(tty.stdout).toContain("\u001b[32m+        image: nginx:1.27");
    expect(tty.stdout).toContain("\u001b[31m-        image: nginx:1.25");
    const noColor = await doIt(
      "set-image",
      args,
      { space: "demo", dryRun: true },
      { tty: true, env: { NO_COLOR: "1" } },
    );
    expect(noColor.stdout).not.toContain("\u001b[");
    expect(noColor.stdout).toContain("+        image: nginx:1.27");
  });

  it("progress goes to stderr only when stderr is a terminal, and is cleared afterwards", async () => {
    const flags: DoFlags = { space: "demo", dryRun: true };
    const quiet = await doIt("set-image", ["main", "nginx:1.27"], flags);
    expect(quiet.stderr).toBe("");
    const shown = await doIt("set-image", ["main", "nginx:1.27"], flags, { stderrTty: true });
    expect(shown.stderr).toContain("dry run: invoking set-image on space demo...");
    expect(shown.stderr.endsWith("\u001b[2K")).toBe(true);
    expect(shown.stdout).toBe(quiet.stdout);
  });

  it("a real run writes one Revision per changed Unit and diffs against the data it replaced", async () => {
    const result = await doIt("set-replicas", ["5"], {
      space: "demo",
      where: "Slug = 'api'",
      changeDescription: "scale api",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("+++ demo/api\tafter (written)\n");
    expect(result.stdout).toContain("-  replicas: 3\n+  replicas: 5\n");
    expect(await unitData("api")).toEqual({ data: deployment("api", 5), head: 2 });
    expect((await unitData("web")).head).toBe(1);
  });

  it("a real run whose validating Trigger fails says the Units it wrote are gated", async () => {
    const trigger = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/trigger`,
      body: {
        Slug: "max-three",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "cel-validate",
        Arguments: [{ Value: "r.spec.replicas <= 3" }],
      },
    });
    expect(trigger.statusCode, trigger.body).toBe(200);
    const gated = await doIt("set-replicas", ["5"], { space: "demo", where: "Slug = 'api'" });
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain("+++ demo/api\tafter (written)\n");
    expect(gated.stdout).toContain(
      "gated: demo/max-three/cel-validate (written with an ApplyGate: a validating Trigger failed; " +
        "a later change that passes it lifts the gate)\n",
    );
    expect(gated.stdout.endsWith("1 unit, 1 changed, 1 failed; 1 written (1 gated)\n")).toBe(true);
    expect((await unitData("api")).head).toBe(2);
    // The JSON report carries the gates; a dry run writes nothing and gates nothing, so says none.
    const json = await doIt("set-replicas", ["6"], { space: "demo", where: "Slug = 'api'", output: "json" });
    const report = JSON.parse(json.stdout) as { units: { gates?: string[] }[]; counts: { gated: number } };
    expect(report.units[0]!.gates).toEqual(["demo/max-three/cel-validate"]);
    expect(report.counts.gated).toBe(1);
    const dry = await doIt("set-replicas", ["7"], { space: "demo", where: "Slug = 'api'", dryRun: true });
    expect(dry.code).toBe(1);
    expect(dry.stdout).not.toContain("gated");
    // A change that passes lifts the gate: nothing more is said.
    const passed = await doIt("set-replicas", ["2"], { space: "demo", where: "Slug = 'api'" });
    expect(passed.code).toBe(0);
    expect(passed.stdout).not.toContain("gated");
    expect(passed.stdout.endsWith("1 unit, 1 changed, 0 failed; 1 written\n")).toBe(true);
  });

  it("a viewer may dry-run but not write (403, exit 1)", async () => {
    const env = { CONFN_TOKEN: t.org.tokens.viewer };
    const dry = await doIt("set-replicas", ["2"], { space: "demo", dryRun: true }, { env });
    expect(dry.code).toBe(0);
    const write = await doIt("set-replicas", ["2"], { space: "demo" }, { env });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/^confn: invoke set-replicas in space demo: permission denied \(403\): /);
    expect((await unitData("web")).head).toBe(1);
  });

  it("exit 2 for what the user got wrong: Space, where syntax, function, arguments, flags", async () => {
    const cases: [string | undefined, string[], DoFlags, RegExp][] = [
      [
        "set-image",
        ["main", "x"],
        { space: "nope", dryRun: true },
        /--space nope: no Space .nope. in your organization/,
      ],
      [
        "set-image",
        ["main", "x"],
        { space: "demo", where: "Slugg = 'x'", dryRun: true },
        /in space demo: 400: querystring\/where: .*'Slugg' at column 1/,
      ],
      ["set-imag", ["main", "x"], { space: "demo", dryRun: true }, /did you mean set-image\?/],
      [
        "set-image",
        ["main", "x"],
        { space: "00000000-0000-4000-8000-000000000000", dryRun: true },
        /not found \(404\): Space 00000000-0000-4000-8000-000000000000 not found/,
      ],
      ["set-image", ["main", "x"], { dryRun: true }, /--space SPACE, or pass --org/],
      ["set-image", ["main", "x"], { space: "demo", org: true }, /--space and --org exclude each other/],
      ["set-image", ["--image=x", "main"], { space: "demo" }, /every argument must be named/],
      [undefined, [], { space: "demo" }, /name a FUNCTION/],
      ["set-image", [], { space: "demo", filter: "mine" }, /--filter mine: no Filter 'mine' in space demo/],
      ["set-image", [], { space: "demo", numFilters: "-1" }, /--num-filters -1/],
    ];
    for (const [fn, args, flags, message] of cases) {
      const result = await doIt(fn, args, flags);
      expect({ code: result.code, stdout: result.stdout }, JSON.stringify(flags)).toEqual({
        code: 2,
        stdout: "",
      });
      expect(result.stderr).toMatch(message);
    }
  });

  it("connection problems are clear errors with exit 1: bad token, refused connection, timeout", async () => {
    const flags: DoFlags = { space: "demo", dryRun: true };
    const badToken = await doIt("set-image", ["main", "x"], flags, { env: { CONFN_TOKEN: "confn_nope" } });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(
      /refused the token from CONFN_TOKEN \(401\): invalid or revoked API token/,
    );

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await doIt("set-image", ["main", "x"], { ...flags, server: closedUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `confn: space demo: cannot reach the confn server at ${closedUrl}: connection refused (is \`confn serve\` running there? set --server or CONFN_URL)\n`,
    );

    // A server that accepts the request and never answers.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const timedOut = await doIt("set-image", ["main", "x"], {
        ...flags,
        server: silentUrl,
        timeout: "300ms",
      });
      expect(timedOut.code).toBe(1);
      expect(timedOut.stderr).toMatch(/no answer from .* within 0\.3s \(raise --timeout/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }

    // The worker port (HTTP/2 only) given as the server: said so, not an HTTP parser's complaint.
    const h2 = createHttp2Server();
    await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
    try {
      const h2Url = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
      const wrongPort = await doIt("set-image", ["main", "x"], { ...flags, server: h2Url });
      expect(wrongPort).toMatchObject({
        code: 1,
        stderr:
          `confn: space demo: cannot reach the confn server at ${h2Url}: it does not answer HTTP/1.1 ` +
          "(a bridge worker port speaks HTTP/2 only; use the API port)\n",
      });
    } finally {
      await new Promise((resolve) => h2.close(resolve));
    }
  });

  it("the token comes from --token-file, then CONFN_TOKEN, then .confn/admin-token", async () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, `${t.org.tokens.viewer}\n`);
    const viaFile = await doIt(
      "set-replicas",
      ["2"],
      { space: "demo", tokenFile },
      { env: { CONFN_TOKEN: t.org.tokens.admin } },
    );
    expect(viaFile.stderr).toContain("permission denied (403)");

    const home = mkdtempSync(join(dir, "home-"));
    const none = await run(
      (streams) =>
        doFunction("set-replicas", ["2"], { space: "demo", dryRun: true }, { ...streams, cwd: home }),
      {
        env: { CONFN_TOKEN: "" },
      },
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no API token: pass --token-file FILE, set CONFN_TOKEN, or run where/);

    mkdirSync(join(home, ".confn"));
    writeFileSync(join(home, ".confn", "admin-token"), `${t.org.tokens.admin}\n`);
    const adminFile = await run(
      (streams) =>
        doFunction("set-replicas", ["2"], { space: "demo", dryRun: true }, { ...streams, cwd: home }),
      { env: { CONFN_TOKEN: "" } },
    );
    expect(adminFile.code, adminFile.stderr).toBe(0);
    expect(adminFile.stdout).toContain("2 units, 2 changed, 0 failed");
  });

  it("function list and explain read the server's catalogue", async () => {
    const list = await run((streams) =>
      listFunctions({ toolchain: "Kubernetes/YAML", where: "Validating = true" }, streams),
    );
    expect(list.code).toBe(0);
    const names = list.stdout
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(/\s+/)[0]);
    expect(names).toContain("cel-validate");
    expect(names).not.toContain("set-image");

    const json = await run((streams) =>
      listFunctions({ toolchain: "Kubernetes/YAML", space: "demo", json: true }, streams),
    );
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(["Kubernetes/YAML"]);
    expect(JSON.parse(json.stdout)["Kubernetes/YAML"]["set-image"].FunctionName).toBe("set-image");

    const explain = await run((streams) =>
      explainFunction("set-replicas", { toolchain: "Kubernetes/YAML", space: "demo" }, streams),
    );
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("Usage: confn function do --space demo -- set-replicas <replicas>");

    const unknown = await run((streams) =>
      explainFunction("set-imag", { toolchain: "Kubernetes/YAML" }, streams),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "confn: function set-imag does not exist for toolchain Kubernetes/YAML on the server (did you mean set-image?)\n",
    );
    // No suggestion when no name is close: the nearest of the catalogue would only mislead.
    const far = await run((streams) =>
      explainFunction("require-cost-center", { toolchain: "Kubernetes/YAML" }, streams),
    );
    expect(far.stderr).toBe(
      "confn: function require-cost-center does not exist for toolchain Kubernetes/YAML on the server\n",
    );

    const badWhere = await run((streams) =>
      listFunctions({ toolchain: "Kubernetes/YAML", where: "Nope = 1" }, streams),
    );
    expect(badWhere.code).toBe(2);
    expect(badWhere.stderr).toMatch(/^confn: functions: 400: querystring\/where: /);
  });

  it("bin/confn.js: arguments after --, exit codes of the process, usage errors exit 2", async () => {
    const env = { ...process.env, CONFN_URL: url, CONFN_TOKEN: t.org.tokens.admin, CONFN_USE_SOURCES: "1" };
    // Asynchronous: the server answering it runs in this process.
    const confn = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(
          process.execPath,
          [BIN, "function", "do", ...args],
          {
            env,
            encoding: "utf8",
            timeout: 120_000,
          },
        );
        return { status: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };
    const ok = await confn(
      "--space",
      "demo",
      "--dry-run",
      "--",
      "set-image",
      "--container-name=main",
      "--container-image=nginx:2",
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("+        image: nginx:2\n");
    const failed = await confn("--space", "demo", "--dry-run", "--", "cel-validate", "r.spec.replicas > 5");
    expect(failed.status).toBe(1);
    const usage = await confn("--space", "demo", "--no-such-flag", "set-image");
    expect(usage.status).toBe(2);
  }, 180_000);
});
