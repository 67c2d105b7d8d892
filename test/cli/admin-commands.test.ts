// The confn command as a user runs it (a child process through bin/confn.js): admin commands on the
// embedded database, exit codes, and `confn serve` from first start to SIGTERM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.ts";
import { authenticateToken } from "../../src/store/tokens.ts";

const BIN = fileURLToPath(new URL("../../bin/confn.js", import.meta.url));
const SLOW = 180_000;

let dir: string;
let env: NodeJS.ProcessEnv;

function confn(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "confn-cli-"));
  // The embedded database in a temporary directory, whatever the caller's environment says.
  env = {
    ...process.env,
    CONFN_DATA_DIR: join(dir, ".confn", "data"),
    DATABASE_URL: "",
    CONFN_USE_SOURCES: "1",
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("confn admin commands", () => {
  it(
    "org create prints an admin token; token create prints a token of the role asked for",
    async () => {
      const org = confn("org", "create", "acme", "--display-name", "Acme Inc");
      expect(org.code, org.stderr).toBe(0);
      expect(org.stdout).toMatch(/^confn_[A-Za-z0-9_-]{43}\n$/);
      expect(org.stderr).toContain("created organization 'acme'");

      const again = confn("org", "create", "acme");
      expect(again.code).toBe(1);
      expect(again.stderr).toBe("confn: Organization with Slug 'acme' already exists in this database\n");

      const viewer = confn("token", "create", "--org", "acme", "--role", "viewer", "--description", "ci");
      expect(viewer.code, viewer.stderr).toBe(0);
      const token = viewer.stdout.trim();

      const database = await openDatabase({ kind: "pglite", dataDir: env.CONFN_DATA_DIR! });
      try {
        expect(await authenticateToken(database.db, org.stdout.trim())).toMatchObject({
          organizationSlug: "acme",
          organizationDisplayName: "Acme Inc",
          role: "admin",
        });
        expect(await authenticateToken(database.db, token)).toMatchObject({
          organizationSlug: "acme",
          role: "viewer",
          description: "ci",
        });
      } finally {
        await database.close();
      }

      // The database path of list and revoke (no server URL): the organization by --org.
      const listed = confn("token", "list", "--org", "acme");
      expect(listed.code, listed.stderr).toBe(0);
      const row = listed.stdout.split("\n").find((line) => / viewer +ci /.test(line));
      const tokenId = row?.split(" ")[0] ?? "";
      expect(tokenId).toMatch(/^[0-9a-f-]{36}$/);
      expect(listed.stdout).not.toContain(token);
      const revoked = confn("token", "revoke", tokenId, "--org", "acme");
      expect(revoked.stdout).toBe(`revoked viewer token ${tokenId} of organization 'acme'\n`);
      const reopened = await openDatabase({ kind: "pglite", dataDir: env.CONFN_DATA_DIR! });
      try {
        expect(await authenticateToken(reopened.db, token)).toBeUndefined();
      } finally {
        await reopened.close();
      }
    },
    SLOW,
  );

  it(
    "exits 2 on usage errors and 1 on failures, with a message naming the problem",
    () => {
      const badRole = confn("token", "create", "--org", "acme", "--role", "boss");
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain("Allowed choices are admin, editor, viewer");
      const noOrg = confn("token", "create", "--role", "viewer");
      expect(noOrg.code).toBe(2);
      expect(noOrg.stderr).toBe(
        "confn: name where to manage tokens: through the server with --server URL (or CONFN_URL), or directly in the database with --org SLUG (server stopped)\n",
      );
      const badSlug = confn("org", "create", "no spaces");
      expect(badSlug.code).toBe(2);
      expect(badSlug.stderr).toContain("invalid organization slug 'no spaces'");
      const unknownOrg = confn("token", "create", "--org", "nope", "--role", "viewer");
      expect(unknownOrg.code).toBe(1);
      expect(unknownOrg.stderr).toBe("confn: Organization nope not found\n");
      expect(confn("no-such-command").code).toBe(2);
      expect(confn("--help").code).toBe(0);
      const migrate = confn("migrate");
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain("already up to date");
    },
    SLOW,
  );
});

describe("confn serve", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  /** Starts `confn serve` on a free port; resolves once it listens, with its stdout so far. */
  function serve(extraEnv: NodeJS.ProcessEnv = {}) {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
      env: { ...env, CONFN_DATA_DIR: join(dir, "served", "data"), CONFN_LOG_LEVEL: "info", ...extraEnv },
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const listening = new Promise<{ url: string; stdout: () => string }>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /confn listening on (http:\/\/[^ ]+) /.exec(stdout);
        if (match) resolve({ url: match[1]!, stdout: () => stdout });
      });
      child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    return { child, listening, exited, stderr: () => stderr };
  }

  it(
    "prints the admin token on first start only, writes it 0600, and stops cleanly on SIGTERM",
    async () => {
      const first = serve();
      const { url, stdout } = await first.listening;
      const token = /\n {4}(confn_\S+)\n/.exec(stdout())?.[1];
      expect(token).toBeDefined();
      const tokenFile = join(dir, "served", "admin-token");
      expect(readFileSync(tokenFile, "utf8")).toBe(`${token}\n`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ OrganizationSlug: "default", Role: "admin" });

      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);

      const second = serve();
      const restarted = await second.listening;
      expect(restarted.stdout()).not.toContain("confn_");
      const again = await fetch(`${restarted.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(200);
      second.child.kill("SIGINT");
      expect(await second.exited).toBe(0);
    },
    SLOW,
  );

  it("exits 2 naming a malformed setting", async () => {
    const bad = serve({ PORT: "seventy" });
    await expect(bad.listening).rejects.toThrow();
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toBe("confn: PORT must be a port number from 0 to 65535, got 'seventy'\n");
  });
});
