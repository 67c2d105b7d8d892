// `confn space|unit|revision|filter|... ` and `confn token` against a real server (one per database,
// listening on an ephemeral port), driven through the command functions: slugs resolved to IDs,
// not-found messages with a suggestion, tables that fit the terminal, unit diff and restore, and
// tokens issued, listed and revoked through the API by an admin only.
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { runCommand, type CommandIo, type CommandResult } from "../../src/cli/command-run.ts";
import {
  createEntity,
  deleteEntity,
  getEntity,
  listEntities,
  updateEntity,
} from "../../src/cli/commands/entity-actions.ts";
import { createTokenViaApi, listTokensViaApi, revokeTokenViaApi } from "../../src/cli/commands/token-api.ts";
import {
  createUnit,
  diffUnit,
  getRevision,
  getUnit,
  listRevisions,
  restoreUnit,
  updateUnit,
} from "../../src/cli/commands/unit-actions.ts";
import { FILTER, SPACE, TRIGGER, UNIT } from "../../src/cli/remote/entity-kinds.ts";
import type { Database } from "../../src/store/database.ts";
import { testDatabases } from "../support/databases.ts";
import { buildTestApp, type TestApp } from "../support/test-app.ts";

class Capture extends Writable {
  text = "";
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {
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

const WEB = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";

describe.each(testDatabases())("confn entity commands against a server on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    database = await target.open();
    dir = mkdtempSync(join(tmpdir(), "confn-entities-"));
    t = await buildTestApp(database);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    return async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    };
  });

  interface IoOptions {
    token?: string;
    columns?: number;
    stdin?: string;
  }

  async function run(
    command: (io: CommandIo) => Promise<CommandResult>,
    options: IoOptions = {},
  ): Promise<Run> {
    const streams = {
      env: { CONFN_URL: url, CONFN_TOKEN: options.token ?? t.org.tokens.admin },
      cwd: dir,
      stdout: new Capture(options.columns !== undefined, options.columns),
      stderr: new Capture(),
      ...(options.stdin !== undefined ? { stdin: Readable.from([options.stdin]) } : {}),
    };
    const code = await runCommand(() => command(streams), streams);
    return { code, stdout: streams.stdout.text, stderr: streams.stderr.text };
  }

  /** A fresh Space holding Unit `web` (revision 1 = WEB) from a file. */
  let spaces = 0;
  async function spaceWithWeb(): Promise<string> {
    const space = `team-${++spaces}`;
    expect((await run((io) => createEntity(SPACE, space, {}, io))).code).toBe(0);
    writeFileSync(join(dir, "web.yaml"), WEB);
    const created = await run((io) =>
      createUnit("web", { space, file: "web.yaml", changeDescription: "first import" }, io),
    );
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toMatch(
      new RegExp(`^created unit ${space}/web \\([0-9a-f-]{36}, revision 1\\)\\n$`),
    );
    return space;
  }

  it("resolves slugs to IDs, and says which slug was meant when one does not exist", async () => {
    const space = await spaceWithWeb();
    const bySlug = await run((io) => getUnit("web", { space, json: true }, io));
    expect(bySlug.code).toBe(0);
    const unit = JSON.parse(bySlug.stdout).Unit;
    const spaceId = unit.SpaceID as string;
    const byId = await run((io) => getUnit(unit.UnitID, { space: spaceId, json: true }, io));
    expect(JSON.parse(byId.stdout).Unit.UnitID).toBe(unit.UnitID);

    expect(await run((io) => getUnit("wbe", { space }, io))).toEqual({
      code: 2,
      stdout: "",
      stderr: `confn: no Unit 'wbe' in space ${space} (did you mean web?)\n`,
    });
    // Nothing close: no suggestion.
    expect((await run((io) => getUnit("database-primary", { space }, io))).stderr).toBe(
      `confn: no Unit 'database-primary' in space ${space}\n`,
    );
    expect(await run((io) => getEntity(SPACE, `${space}x`, {}, io))).toMatchObject({
      code: 2,
      stderr: `confn: no Space '${space}x' in your organization (did you mean ${space}?)\n`,
    });
    expect((await run((io) => getUnit("web", { space: "nope" }, io))).stderr).toBe(
      "confn: --space nope: no Space 'nope' in your organization\n",
    );
    expect((await run((io) => getUnit("web'; --", { space }, io))).stderr).toContain(
      "expected a Unit slug (letters, digits and -_. inside) or a Unit ID",
    );
    expect((await run((io) => getUnit("web", {}, io))).stderr).toBe(
      "confn: name the Unit's Space with --space SPACE (slug or ID)\n",
    );
    // Another organization's Space is not found either (and its slug is not suggested).
    expect(
      (await run((io) => getUnit("web", { space }, io), { token: t.otherOrg.tokens.admin })).stderr,
    ).toBe(`confn: --space ${space}: no Space '${space}' in your organization\n`);
  });

  it("prints raw data, and creates a Unit from stdin", async () => {
    const space = await spaceWithWeb();
    expect(await run((io) => getUnit("web", { space, data: true }, io))).toEqual({
      code: 0,
      stdout: WEB,
      stderr: "",
    });
    const api = WEB.replace(/web/g, "api");
    expect((await run((io) => createUnit("api", { space, file: "-" }, io), { stdin: api })).code).toBe(0);
    expect((await run((io) => getUnit("api", { space, data: true }, io))).stdout).toBe(api);
    const missing = await run((io) => createUnit("db", { space, file: "nope.yaml" }, io));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^confn: -f nope\.yaml: cannot read the config data: ENOENT/);
  });

  it("takes a Unit's toolchain from --toolchain, --set or the file's extension, in that order", async () => {
    const space = await spaceWithWeb();
    // Not YAML: a comment ends the multi-line plain scalar the lines before it would make.
    const hcl = 'locals {\n  # the network\n  cidr_block = "10.0.0.0/16"\n}\n';
    const toml = '[agent]\ninterval = "10s"\n';
    writeFileSync(join(dir, "main.tf"), hcl);
    writeFileSync(join(dir, "vpc.hcl"), hcl);
    writeFileSync(join(dir, "agent.txt"), toml);
    const toolchainOf = async (slug: string) =>
      JSON.parse((await run((io) => getUnit(slug, { space, json: true }, io))).stdout).Unit.ToolchainType;

    const fromExtension = await run((io) => createUnit("vpc", { space, file: "main.tf" }, io));
    expect(fromExtension).toMatchObject({ code: 0, stderr: "" });
    expect(fromExtension.stdout).toMatch(
      /^created unit .*\/vpc \([0-9a-f-]{36}, revision 1\), toolchain OpenTofu\/HCL \(from the file's extension; --toolchain names another\)\n$/,
    );
    expect(await toolchainOf("vpc")).toBe("OpenTofu/HCL");

    // --set's ToolchainType is kept (it used to be replaced by Kubernetes/YAML without a word).
    const fromSet = await run((io) =>
      createUnit("agent", { space, file: "agent.txt", set: '{"ToolchainType":"AppConfig/TOML"}' }, io),
    );
    expect(fromSet.stdout).toMatch(/^created unit .*\/agent \([0-9a-f-]{36}, revision 1\)\n$/);
    expect(await toolchainOf("agent")).toBe("AppConfig/TOML");

    // An extension no toolchain claims: Kubernetes/YAML, and when that does not parse, how to name another.
    const unknown = await run((io) => createUnit("vpc2", { space, file: "vpc.hcl" }, io));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("422: body/Data is not valid YAML");
    expect(unknown.stderr).toContain(
      "\n(a Unit's data is Kubernetes/YAML unless --toolchain names another: AppConfig/Properties, AppConfig/Env, AppConfig/TOML, OpenTofu/HCL) [request ",
    );
    const named = await run((io) =>
      createUnit("vpc2", { space, file: "vpc.hcl", toolchain: "OpenTofu/HCL" }, io),
    );
    expect(named.stdout).toMatch(/^created unit .*\/vpc2 \([0-9a-f-]{36}, revision 1\)\n$/);
    expect(await toolchainOf("vpc2")).toBe("OpenTofu/HCL");
  });

  it("updates with the Version just read, diffs revisions, and restores one", async () => {
    const space = await spaceWithWeb();
    const scaled = await run(
      (io) =>
        updateUnit("web", { space, file: "-", changeDescription: "scale to 3", label: ["tier=web"] }, io),
      { stdin: WEB.replace("replicas: 1", "replicas: 3") },
    );
    expect(scaled.stdout).toBe(`updated unit ${space}/web (version 2, revision 2)\n`);

    const diff = await run((io) => diffUnit("web", undefined, undefined, { space }, io));
    expect(diff).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        `--- ${space}/web\trevision 1`,
        `+++ ${space}/web\trevision 2`,
        "@@ -3,4 +3,4 @@",
        " metadata:",
        "   name: web",
        " spec:",
        "-  replicas: 1",
        "+  replicas: 3",
        "",
      ].join("\n"),
    });

    const restored = await run((io) => restoreUnit("web", "1", { space }, io));
    expect(restored.stdout).toBe(`restored revision 1's data to unit ${space}/web (version 3, revision 3)\n`);
    expect((await run((io) => getUnit("web", { space, data: true }, io))).stdout).toBe(WEB);
    // Revisions 1 and 3 hold the same data: an empty diff. 2 -> 3 undoes the scale.
    expect((await run((io) => diffUnit("web", "1", "3", { space }, io))).stdout).toBe("");
    expect((await run((io) => diffUnit("web", "2", undefined, { space }, io))).stdout).toContain(
      "-  replicas: 3\n+  replicas: 1",
    );
    expect((await run((io) => diffUnit("web", "1", "7", { space }, io))).stderr).toBe(
      `confn: unit ${space}/web has no revision 7: its revisions are 1 to 3\n`,
    );
    expect((await run((io) => restoreUnit("web", "9", { space }, io))).stderr).toMatch(
      new RegExp(
        `^confn: restore revision 9 of unit ${space}/web: not found \\(404\\): Revision number 9 of Unit `,
      ),
    );
    expect((await run((io) => restoreUnit("web", "two", { space }, io))).stderr).toBe(
      "confn: REVISION two: expected a revision number (1, 2, ...)\n",
    );

    const history = await run((io) => listRevisions("web", { space }, io));
    expect(history.stdout.split("\n").map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["NUM", "SOURCE", "DESCRIPTION"],
      ["1", "CreateUnit", "first import"],
      ["2", "PatchUnit", "scale to 3"],
      ["3", "RestoreRevision", expect.any(String)],
      [""],
    ]);
    expect((await run((io) => getRevision("web", "2", { space, data: true }, io))).stdout).toBe(
      WEB.replace("replicas: 1", "replicas: 3"),
    );

    // Labels: KEY- removes one; a metadata-only change writes no Revision.
    expect((await run((io) => updateEntity(UNIT, "web", { space, label: ["tier-"] }, io))).stdout).toBe(
      `updated unit ${space}/web (version 4)\n`,
    );
    const unit = JSON.parse((await run((io) => getUnit("web", { space, json: true }, io))).stdout).Unit;
    expect(unit.Labels).toEqual({});
    expect((await run((io) => updateEntity(UNIT, "web", { space }, io))).stderr).toMatch(/nothing to update/);
  });

  it("warns on stderr when a data write leaves the Unit gated by a failed validating Trigger", async () => {
    const space = await spaceWithWeb();
    const trigger = await run((io) =>
      createEntity(
        TRIGGER,
        "max-two",
        {
          space,
          event: "Mutation",
          toolchain: "Kubernetes/YAML",
          function: "cel-validate",
          arg: ["r.spec.replicas <= 2"],
        },
        io,
      ),
    );
    expect(trigger.code, trigger.stderr).toBe(0);
    const gated = await run((io) => updateUnit("web", { space, file: "-" }, io), {
      stdin: WEB.replace("replicas: 1", "replicas: 3"),
    });
    expect(gated).toEqual({
      code: 0,
      stdout: `updated unit ${space}/web (version 2, revision 2)\n`,
      stderr:
        `warning: unit ${space}/web is gated: ${space}/max-two/cel-validate (ApplyGates: a validating Trigger ` +
        "failed on this write, or runs on a bridge worker, which only a function invocation that changes the Unit calls)\n",
    });
    // A write that passes clears the gate, and says nothing more.
    const passing = await run((io) => updateUnit("web", { space, file: "-" }, io), { stdin: WEB });
    expect(passing).toMatchObject({ code: 0, stderr: "" });
  });

  it("lists as a table that fits the terminal, and in full off a terminal", async () => {
    const space = await spaceWithWeb();
    const long = "a very long change description that goes on and on well past any terminal width";
    await run((io) => updateUnit("web", { space, changeDescription: long, label: ["team=platform"] }, io));

    const narrow = await run((io) => listEntities(UNIT, { space }, io), { columns: 120 });
    const lines = narrow.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SLUG +TOOLCHAIN +HEAD +LABELS +CHANGE +UPDATED +ID$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    // The free-text column gave way; the ID, which a script would copy, is whole.
    expect(lines[1]).toContain("a very long");
    expect(lines[1]).toContain("…");
    expect(lines[1]).toMatch(/[0-9a-f-]{36}$/);

    const piped = await run((io) => listEntities(UNIT, { space }, io));
    expect(piped.stdout).toContain(long);

    const all = await run((io) => listEntities(UNIT, {}, io));
    expect(all.stdout.split("\n")[0]).toMatch(/^SPACE +SLUG/);
    expect(all.stdout).toMatch(new RegExp(`\\n${space} +web +Kubernetes/YAML`));
    const json = JSON.parse((await run((io) => listEntities(UNIT, { space, json: true }, io))).stdout);
    expect(json).toHaveLength(1);
    expect(json[0].Unit.Data).toBeDefined();
  });

  it("creates, updates and deletes saved entities by slug, saying what it deleted", async () => {
    const space = await spaceWithWeb();
    const created = await run((io) =>
      createEntity(FILTER, "webs", { space, from: "Unit", where: "Slug = 'web'" }, io),
    );
    expect(created.stdout).toMatch(new RegExp(`^created filter ${space}/webs \\(([0-9a-f-]{36})\\)\\n$`));
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1];
    const bad = await run((io) => createEntity(FILTER, "bad", { space, from: "Unit", where: "Slug = " }, io));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^confn: create filter .*\/bad: .*Where/);
    expect(
      (await run((io) => updateEntity(FILTER, "webs", { space, where: "Slug = 'api'" }, io))).stdout,
    ).toBe(`updated filter ${space}/webs (version 2)\n`);
    expect((await run((io) => getEntity(FILTER, "webs", { space }, io))).stdout).toMatch(
      /^Where +Slug = 'api'$/m,
    );
    expect(await run((io) => deleteEntity(FILTER, "webs", { space }, io))).toEqual({
      code: 0,
      stdout: `deleted filter ${space}/webs (${id})\n`,
      stderr: "",
    });

    const refused = await run((io) => deleteEntity(SPACE, space, {}, io));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `(to delete the Space with everything in it: confn space delete ${space} --recursive)`,
    );
    expect((await run((io) => deleteEntity(SPACE, space, { recursive: true }, io))).stdout).toMatch(
      new RegExp(`^deleted space ${space} \\(`),
    );
  });

  it("issues, lists and revokes tokens through the API: the secret once, admins only", async () => {
    const created = await run((io) => createTokenViaApi({ role: "viewer", description: "ci" }, io));
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^confn_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toMatch(
      /^created a viewer token [0-9a-f-]{36} on http:\/\/127\.0\.0\.1:\d+ \(shown once\):\n$/,
    );
    const secret = created.stdout.trim();
    const tokenId = /token ([0-9a-f-]{36})/.exec(created.stderr)![1]!;

    const listed = await run((io) => listTokensViaApi({}, io));
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).toMatch(
      new RegExp(`^${tokenId} +viewer +ci +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`, "m"),
    );

    // The new viewer token works, and cannot manage tokens.
    const asViewer = await run((io) => listTokensViaApi({}, io), { token: secret });
    expect(asViewer.code).toBe(1);
    expect(asViewer.stderr).toMatch(
      /^confn: API tokens: permission denied \(403\): only an admin token may manage API tokens; GET \/api\/token was called with a viewer token \[request /,
    );
    expect(
      (await run((io) => createTokenViaApi({ role: "admin" }, io), { token: t.org.tokens.editor })).stderr,
    ).toContain("only an admin token may manage API tokens; POST /api/token was called with an editor token");

    expect((await run((io) => revokeTokenViaApi(tokenId, {}, io))).stdout).toBe(
      `revoked viewer token ${tokenId} (ci)\n`,
    );
    const refused = await run((io) => listEntities(SPACE, {}, io), { token: secret });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "refused the token from CONFN_TOKEN (401): invalid or revoked API token",
    );
    expect((await run((io) => revokeTokenViaApi("abc", {}, io))).stderr).toBe(
      "confn: TOKEN-ID abc: expected a token ID (a UUID; see confn token list)\n",
    );
  });
});
