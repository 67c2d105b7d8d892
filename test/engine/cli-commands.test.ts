// `confn do`, `confn doseq` and `confn function … --local` as a user runs them: the real binary, the
// standard library, output on stdout, messages on stderr, exit codes 0 / 1 / 2.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const BIN = fileURLToPath(new URL("../../bin/confn.js", import.meta.url));

/** A safety bound, not a timing claim: a local command that has not exited by then never will. */
const EXIT_BOUND_MS = 30_000;

/** Runs bin/confn.js; rejects when the process had to be killed at the bound (it did not exit by itself). */
function confn(
  args: string[],
  stdin?: string,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...process.env, CONFN_USE_SOURCES: "1", NO_COLOR: "1" },
        timeout: EXIT_BOUND_MS,
        ...(cwd ? { cwd } : {}),
      },
      (error, stdout, stderr) => {
        if (error?.signal) {
          reject(new Error(`confn ${args.join(" ")} did not exit on its own (killed by ${error.signal})`));
          return;
        }
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2 # scaled by hand
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
`;

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "confn-cli-"));
  file = join(dir, "web.yaml");
  await writeFile(file, DEPLOYMENT);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("confn do / doseq / function (local)", () => {
  it("runs a mutating function and prints the changed data, keeping comments", async () => {
    const { code, stdout } = await confn(["do", file, "set-replicas", "5"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `SUCCESS    true    \nCONFIGDATA\n---------\n${DEPLOYMENT.replace("replicas: 2", "replicas: 5")}`,
    );
  });

  it("reads stdin, takes named arguments after --, and prints only the data on request", async () => {
    const { code, stdout } = await confn(
      ["do", "-", "--data-only", "--", "set-image", "--container-name=app", "--container-image=nginx:1.26"],
      DEPLOYMENT,
    );
    expect(code).toBe(0);
    expect(stdout).toBe(DEPLOYMENT.replace("nginx:1.25", "nginx:1.26"));
  });

  it("exits 1 for a failed validation and for a function error", async () => {
    const failed = await confn(["do", file, "cel-validate", "r.spec.replicas > 3"]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout.slice(failed.stdout.indexOf("{")))).toMatchObject({ Passed: false });
    const error = await confn(["do", file, "cel-validate", "r.spec.replicas / 0 > 1"]);
    expect(error.code).toBe(1);
    expect(error.stdout).toContain(
      "ERRORMESSAGES    validation expression r.spec.replicas / 0 > 1 resulted in error",
    );
  });

  it("exits 2 for usage errors and unreadable input", async () => {
    expect((await confn(["do", file])).code).toBe(2);
    // A bad argument or an unknown function is the caller's mistake, as on the server (400).
    const badArgument = await confn(["do", file, "set-replicas", "3.5"]);
    expect(badArgument.code).toBe(2);
    expect(badArgument.stdout).toBe("");
    expect(badArgument.stderr).toBe(
      'confn: set-replicas: cannot convert argument replicas value 3.5 to int: "3.5" is not a whole number (digits with an optional sign, e.g. 3)\n',
    );
    const unknown = await confn(["do", file, "set-imag", "web", "nginx"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "confn: function set-imag does not exist for toolchain Kubernetes/YAML (did you mean set-image?)\n",
    );
    const missing = await confn(["do", join(dir, "nope.yaml"), "get-resources"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config data file .*nope\.yaml/);
    const broken = await confn(["do", "-", "get-resources"], "a: [1,\n");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/configuration data parsing error: .*line 2/);
  });

  it("runs an invocation list with --json, reporting mutations and mutators", async () => {
    const list = join(dir, "list.json");
    await writeFile(
      list,
      JSON.stringify([
        { FunctionName: "set-replicas", Arguments: [{ Value: "3" }] },
        { FunctionName: "get-replicas", Arguments: [] },
        { FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: "web" }] },
      ]),
    );
    const { code, stdout } = await confn(["doseq", file, list, "--json"]);
    expect(code).toBe(0);
    const response = JSON.parse(stdout) as {
      Mutators: number[];
      Mutations: { PathMutationMap: Record<string, { MutationType: string; Index: number }> }[];
      ConfigData: string;
      OutputType: string;
    };
    expect(response.Mutators).toEqual([0, 2]);
    expect(response.OutputType).toBe("AttributeValueList");
    expect(response.Mutations[0]!.PathMutationMap).toMatchObject({
      "spec.replicas": { MutationType: "Update", Index: 0 },
      "metadata.labels": { MutationType: "Add", Index: 2 },
    });
    expect(parse(Buffer.from(response.ConfigData, "base64").toString())).toMatchObject({
      metadata: { labels: { team: "web" } },
      spec: { replicas: 3 },
    });
  });

  it("stops quietly at a failing filter", async () => {
    const list = join(dir, "filter.json");
    await writeFile(
      list,
      JSON.stringify([
        { FunctionName: "cel-validate", Arguments: [{ Value: "r.spec.replicas > 5" }] },
        { FunctionName: "set-replicas", Arguments: [{ Value: "9" }] },
      ]),
    );
    const { code, stdout } = await confn(["doseq", file, list, "--num-filters", "1"]);
    expect(code).toBe(0);
    expect(stdout).toBe("SUCCESS    true    \n");
  });

  it("lists and explains the standard library", async () => {
    const list = await confn(["function", "list", "--local"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^FUNCTIONNAME\s+REQ'DPARAMETERS/);
    expect(list.stdout).toMatch(/\nset-replicas\s+1\s+false\s+true\s+false\s+true\s+true\s+/);
    const explain = await confn(["function", "explain", "set-replicas", "--local"]);
    expect(explain.stdout).toContain("Usage: confn do FILE -- set-replicas <replicas>");
    // Without --local it needs a server and a token: none in an empty directory (the checkout may
    // hold the .confn/admin-token of an `npm start`).
    const empty = await mkdtemp(join(tmpdir(), "confn-no-server-"));
    try {
      expect((await confn(["function", "list"], undefined, empty)).code).toBe(2);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

// Every run above and below goes through confn(), which fails a command that does not exit on its own.
// jq runs in a worker thread: an idle worker must not hold the process open once the answer is printed.
describe("local commands exit on their own", () => {
  const CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: one\n";

  it("confn do - yq (stdin) prints the answer and exits", async () => {
    const run = await confn(["do", "-", "yq", ".data.a"], CONFIG_MAP);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("SUCCESS    true    \nOUTPUT\n------\none\n");
  });

  it("confn doseq with a yq step prints the answer and exits", async () => {
    const list = join(dir, "yq.json");
    await writeFile(list, JSON.stringify([{ FunctionName: "yq", Arguments: [{ Value: ".metadata.name" }] }]));
    const run = await confn(["doseq", "-", list, "--output-only"], CONFIG_MAP);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("settings\n");
  });

  it("confn do yq exits after a stopped jq program and after a syntax error", async () => {
    const stopped = await confn(["do", "-", "yq", "until(false; .)"], CONFIG_MAP);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain("was stopped: the jq program did not finish");
    const invalid = await confn(["do", "-", "yq", ".data.a |"], CONFIG_MAP);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain("invalid yq expression .data.a |: syntax error");
  });

  it("confn do on a directory with yq, and confn render with a yq step, report and exit", async () => {
    const tree = join(dir, "tree");
    await mkdir(join(tree, "sub"), { recursive: true });
    await writeFile(join(tree, "sub", "settings.yaml"), CONFIG_MAP);
    const run = await confn(["do", tree, "yq", ".data.a", "--output", "github"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("::notice title=confn do::1 unit, 0 changed, 0 failed");
    await writeFile(
      join(tree, "confn.yaml"),
      "mutators:\n  - function: yq\n    args: ['.data.a']\nvalidators:\n  - function: no-placeholders\n",
    );
    const rendered = await confn(["render", tree, "--output", "junit"]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain('<testcase classname="' + join(tree, "sub", "settings.yaml"));
  });
});
