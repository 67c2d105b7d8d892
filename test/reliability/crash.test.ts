// Issue 11, kept proven: `kill -9` of a `confn serve` process in the middle of an organization-wide
// write leaves no half-written Unit. After a restart on the same database, every Unit's data is
// exactly its head Revision's, and its Revisions are numbered 1..HeadRevisionNum. Runs on PGlite
// (a data directory) and on PostgreSQL (a fresh database) when CONFN_TEST_DATABASE_URL is set.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testPostgresUrl } from "../support/test-postgres.ts";
import { printFigures } from "./support/event-loop.ts";

const UNITS = 80;
const BIN = new URL("../../bin/confn.js", import.meta.url).pathname;

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/** Starts `confn serve` on a free port and resolves once it listens. */
function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
    env: { ...process.env, CONFN_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`confn serve did not start:\n${output}`)), 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /confn listening on (http:\/\/[^\s"]+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, url: listening[1]!, exited });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`confn serve exited with ${code} before listening:\n${output}`));
    });
  });
}

interface Target {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly cleanup: () => Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "confn-crash-"));
  return {
    name: "PGlite",
    env: { CONFN_DATA_DIR: join(dir, "data"), CONFN_ADMIN_TOKEN_FILE: join(dir, "admin-token") },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(url: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "confn-crash-"));
  const name = `confn_crash_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return {
    name: "PostgreSQL",
    env: { DATABASE_URL: databaseUrl.toString(), CONFN_ADMIN_TOKEN_FILE: join(dir, "admin-token") },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TARGETS: { name: string; make: () => Promise<Target> }[] = [{ name: "PGlite", make: pgliteTarget }];
const postgresUrl = testPostgresUrl();
if (postgresUrl) TARGETS.push({ name: "PostgreSQL", make: () => postgresTarget(postgresUrl) });

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

describe.each(TARGETS)("kill -9 during an organization-wide write on $name", ({ make }) => {
  let target: Target;
  const running: Server[] = [];
  afterAll(async () => {
    for (const server of running) server.child.kill("SIGKILL");
    await Promise.all(running.map((s) => s.exited));
    await target?.cleanup();
  });

  it("leaves every Unit equal to its head Revision", async () => {
    target = await make();
    let server = await startServer(target.env);
    running.push(server);
    const token = readFileSync(target.env.CONFN_ADMIN_TOKEN_FILE!, "utf8").trim();
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };

    const space = (await api("POST", "/space", { Slug: "crash" })).body as { SpaceID: string };
    for (let i = 0; i < UNITS; i++) {
      const created = await api("POST", `/space/${space.SpaceID}/unit`, {
        Slug: `u${i}`,
        ToolchainType: "Kubernetes/YAML",
        Data: Buffer.from(configMap(`u${i}`)).toString("base64"),
      });
      expect(created.status).toBe(200);
    }

    const units = (await api("GET", `/space/${space.SpaceID}/unit`)).body as { Unit: { UnitID: string } }[];
    expect(units).toHaveLength(UNITS);
    /** Checks every Unit against its Revisions; returns how many hold `label`. */
    const verify = async (label: string) => {
      let labelled = 0;
      for (const { Unit } of units) {
        const unit = (await api("GET", `/space/${space.SpaceID}/unit/${Unit.UnitID}`)).body as {
          Unit: { Data: string; HeadRevisionNum: number };
        };
        const revisions = (await api("GET", `/space/${space.SpaceID}/unit/${Unit.UnitID}/revision`)).body as {
          Revision: { RevisionNum: number; Data: string };
        }[];
        const head = unit.Unit.HeadRevisionNum;
        const numbers = revisions.map((r) => r.Revision.RevisionNum).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect(revisions.find((r) => r.Revision.RevisionNum === head)!.Revision.Data).toBe(unit.Unit.Data);
        if (Buffer.from(unit.Unit.Data, "base64").toString().includes(label)) labelled++;
      }
      return labelled;
    };
    const write = (label: string) =>
      api("POST", "/function/invoke", {
        FunctionInvocations: [
          { FunctionName: "set-label", Arguments: [{ Value: "round" }, { Value: label }] },
        ],
      });

    // How long a whole organization-wide write takes here; the kill then aims inside that span, for
    // up to eight rounds: halfway between the latest kill that found nothing written and the
    // earliest that found everything written (Units are saved in batches, in the last part of the
    // call, so the span to hit is short). A restarted server first makes one whole write, so the
    // write it is killed in runs as warm as the one timed here.
    let started = performance.now();
    expect((await write("full")).status).toBe(200);
    const fullWriteMs = performance.now() - started;
    let fraction = 0.5;
    let nothingWritten = 0;
    let allWritten: number | undefined;
    const rounds: string[] = [];
    let partial = false;
    for (let round = 1; round <= 8 && !partial; round++) {
      const label = `r${round}`;
      if (round > 1) expect((await write(`warm-${round}`)).status).toBe(200);
      started = performance.now();
      const writing = write(label).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, fullWriteMs * fraction));
      server.child.kill("SIGKILL");
      await server.exited;
      await writing;
      const killedAfterMs = Math.round(performance.now() - started);
      server = await startServer(target.env);
      running.push(server);
      const updated = await verify(`round: ${label}`);
      rounds.push(
        `kill after ${killedAfterMs} ms: ${updated} of ${UNITS} Units written, all equal to their head Revision`,
      );
      partial = updated > 0 && updated < UNITS;
      if (updated === UNITS) allWritten = fraction;
      if (updated === 0) nothingWritten = fraction;
      fraction = allWritten === undefined ? Math.min(4, fraction * 1.5) : (nothingWritten + allWritten) / 2;
    }
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    printFigures(`kill -9 during an organization-wide write on ${target.name}`, {
      units: UNITS,
      "one whole write (ms)": Math.round(fullWriteMs),
      ...Object.fromEntries(rounds.map((r, i) => [`round ${i + 1}`, r])),
    });
    expect(partial, "no round killed the server in the middle of the write").toBe(true);
  });
});
