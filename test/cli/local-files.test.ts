// `confn do` / `confn render` on files and directories, in process: which files are Units, the dry
// run, --write (atomic, unchanged files untouched), "would not be written", the honest exit codes,
// setter warnings, SARIF lines from a real file, and the pipeline file's errors. Manifests come from
// the shared corpus, copied into a temporary directory per test.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliUsageError } from "../../src/cli/cli-error.ts";
import { runOnPath, type DoFlags } from "../../src/cli/commands/do.ts";
import { render, type RenderFlags } from "../../src/cli/commands/render.ts";
import { parsePipeline } from "../../src/cli/local/pipeline-file.ts";
import type { FunctionInvocation } from "../../src/engine/index.ts";

// ../shared beside the clone (read in place, never copied here).
const CORPUS = join(
  import.meta.dirname,
  "../../../shared/corpus/kubernetes/GoogleCloudPlatform__microservices-demo",
);
const io = { stdoutIsTty: false, env: {}, warn: () => {} };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "confn-local-files-"));
  await mkdir(join(dir, "apps", "nested"), { recursive: true });
  await cp(join(CORPUS, "kubernetes-manifests__frontend.yaml"), join(dir, "apps", "frontend.yaml"));
  await cp(join(CORPUS, "kubernetes-manifests__cartservice.yaml"), join(dir, "apps", "nested", "cart.yml"));
  await writeFile(join(dir, "apps", "README.md"), "not a manifest\n");
  await writeFile(join(dir, "apps", "service.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");
});

afterEach(() => rm(dir, { recursive: true, force: true }));

const invoke = (name: string, ...values: string[]): FunctionInvocation[] => [
  { FunctionName: name, Arguments: values.map((Value) => ({ Value })) },
];

async function doOn(path: string, invocations: FunctionInvocation[], flags: DoFlags = {}) {
  return runOnPath("confn do", path, invocations, { output: "json", ...flags }, io);
}

async function mtimes(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const name of await readdir(join(dir, "apps"), { recursive: true })) {
    const info = await stat(join(dir, "apps", name));
    if (info.isFile()) result[name] = info.mtimeMs;
  }
  return result;
}

describe("confn do on a directory", () => {
  it("takes the toolchain's files recursively as Units and writes nothing in a dry run", async () => {
    const before = await mtimes();
    const { text, exitCode } = await doOn(join(dir, "apps"), invoke("set-image", "server", "nginx:1.27"));
    const report = JSON.parse(text);
    expect(report.units.map((u: { name: string }) => u.name)).toEqual([
      join(dir, "apps", "frontend.yaml"),
      join(dir, "apps", "nested", "cart.yml"),
      join(dir, "apps", "service.yaml"),
    ]);
    expect(report.units.map((u: { changed: boolean }) => u.changed)).toEqual([true, true, false]);
    expect(report.counts).toMatchObject({ units: 3, changed: 2, written: 2, failed: 0 });
    expect(report.dryRun).toBe(true);
    expect(exitCode).toBe(0);
    expect(await mtimes()).toEqual(before);
  });

  it("--write writes the changed files atomically and never touches the unchanged ones", async () => {
    const before = await mtimes();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { exitCode } = await doOn(join(dir, "apps"), invoke("set-image", "server", "nginx:1.27"), {
      write: true,
    });
    expect(exitCode).toBe(0);
    const after = await mtimes();
    expect(after["service.yaml"]).toBe(before["service.yaml"]);
    expect(after["README.md"]).toBe(before["README.md"]);
    expect(after["frontend.yaml"]).not.toBe(before["frontend.yaml"]);
    expect(await readFile(join(dir, "apps", "frontend.yaml"), "utf8")).toContain("image: nginx:1.27");
    // No temporary file is left behind.
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });

  it("marks a changed file whose validation failed as would not be written, and a real run agrees", async () => {
    const invocations: FunctionInvocation[] = [
      ...invoke("set-image", "server", "nginx:1.27"),
      ...invoke("cel-validate", "r.kind != 'Deployment' || r.metadata.name != 'cartservice'"),
    ];
    const dry = JSON.parse((await doOn(join(dir, "apps"), invocations)).text);
    expect(dry.units.map((u: { written: boolean }) => u.written)).toEqual([true, false, false]);
    const real = await doOn(join(dir, "apps"), invocations, { write: true });
    expect(real.exitCode).toBe(1);
    expect(JSON.parse(real.text).counts.written).toBe(dry.counts.written);
    expect(await readFile(join(dir, "apps", "nested", "cart.yml"), "utf8")).not.toContain("nginx:1.27");
    const text = (await doOn(join(dir, "apps"), invocations, { output: "text" })).text;
    expect(text).toContain("cart.yml: changed, validation failed, would not be written");
  });

  it("warns when a setter set nothing, saying what to do instead", async () => {
    const image = JSON.parse((await doOn(join(dir, "apps"), invoke("set-image", "nosuch", "nginx:1"))).text);
    expect(image.units[0].warnings[0]).toMatch(
      /set-image \(#0\) changed nothing in .*frontend\.yaml.*container is named nosuch/,
    );
    // The Service-only file has nothing set-image could change: no warning there.
    expect(image.units[2].warnings).toEqual([]);
    const replicas = JSON.parse(
      (await doOn(join(dir, "apps", "frontend.yaml"), invoke("set-replicas", "3"))).text,
    );
    expect(replicas.units[0].warnings[0]).toContain("set-int-path apps/v1/Deployment spec.replicas N");
    expect(replicas.counts.warnings).toBe(1);
  });

  it("is honest about no-ops: --fail-on-no-match and --expect-changes exit 1 with a warning", async () => {
    await mkdir(join(dir, "empty"));
    const empty = await doOn(join(dir, "empty"), invoke("set-replicas", "3"), { failOnNoMatch: true });
    expect(empty.exitCode).toBe(1);
    expect(JSON.parse(empty.text).warnings[0]).toMatch(
      /nothing selected: no file under .*empty ends in \.yaml, \.yml/,
    );
    expect((await doOn(join(dir, "empty"), invoke("set-replicas", "3"))).exitCode).toBe(0);
    const unchanged = await doOn(join(dir, "apps", "service.yaml"), invoke("set-replicas", "3"), {
      expectChanges: true,
    });
    expect(unchanged.exitCode).toBe(1);
    expect(JSON.parse(unchanged.text).warnings).toContain("nothing changed (--expect-changes: exit 1)");
  });

  it("refuses an unknown function or a bad argument before anything runs, as the server does", async () => {
    await expect(doOn(join(dir, "apps"), invoke("set-imag", "a", "b"))).rejects.toThrow(
      new CliUsageError(
        "function set-imag does not exist for toolchain Kubernetes/YAML (did you mean set-image?)",
      ),
    );
    await expect(doOn(join(dir, "apps"), invoke("set-replicas", "many"))).rejects.toThrow(CliUsageError);
    await expect(doOn("-", invoke("set-replicas", "3"), { write: true })).rejects.toThrow(/standard input/);
  });

  it("takes one file's toolchain from its extension, and never fails a --data-only run without a word", async () => {
    const file = join(dir, "versions.tf");
    await writeFile(file, 'terraform {\n  required_version = ">= 1.0"\n}\n');
    const warnings: string[] = [];
    const fctl = (flags: DoFlags) =>
      runOnPath(
        "confn do",
        file,
        invoke("set-string-path", "terraform", "required_version", ">= 1.6"),
        flags,
        {
          ...io,
          warn: (text) => warnings.push(text),
        },
      );
    // No --toolchain: versions.tf is OpenTofu/HCL (before, Kubernetes/YAML: "resource type is missing").
    expect(await fctl({ dataOnly: true })).toEqual({
      text: 'terraform {\n  required_version = ">= 1.6"\n}\n',
      exitCode: 0,
    });
    expect(warnings).toEqual([]);
    // Named otherwise, the function fails; --data-only prints the data as fctl does, the error on stderr.
    const failed = await fctl({ dataOnly: true, toolchain: "Kubernetes/YAML" });
    expect(failed.exitCode).toBe(1);
    expect(warnings).toEqual([
      `confn: ${file}: error in resource/element 0: resource type is missing: no string apiVersion and kind (document 0, line 1)\n`,
    ]);
  });

  it("gives SARIF results the file and line of the offending value", async () => {
    const file = join(dir, "apps", "frontend.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("containerPort: 8080", 'containerPort: "eighty"'));
    const line = text.split("\n").findIndex((l) => l.includes("containerPort: 8080")) + 1;
    const { text: sarif, exitCode } = await doOn(file, invoke("validate"), { output: "sarif" });
    expect(exitCode).toBe(1);
    const result = JSON.parse(sarif).runs[0].results.find((r: { ruleId: string }) => r.ruleId === "validate");
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: file.split("/").map(encodeURIComponent).join("/") },
      region: { startLine: line },
    });
  });
});

describe("confn render", () => {
  const run = (flags: RenderFlags = {}) => render(join(dir, "apps"), { output: "json", ...flags }, io);

  it("runs mutators, then validators, a selector limiting its step to matching files", async () => {
    await writeFile(
      join(dir, "apps", "confn.yaml"),
      [
        "mutators:",
        "  - function: set-namespace",
        "    args: [shop]",
        "  - function: set-image",
        "    args: { container-name: server, container-image: 'nginx:1.27' }",
        "    selector:",
        "      resource-type: apps/v1/Deployment",
        "      where: \"metadata.name = 'frontend'\"",
        "validators:",
        "  - function: cel-validate",
        "    args: [\"r.metadata.namespace == 'shop'\"]",
        "",
      ].join("\n"),
    );
    const before = await mtimes();
    const { text, exitCode } = await run();
    expect(exitCode).toBe(0);
    const report = JSON.parse(text);
    expect(report.units.map((u: { name: string }) => u.name)).not.toContain(join(dir, "apps", "confn.yaml"));
    const [frontend, cart] = report.units;
    expect(frontend.data).toContain("namespace: shop");
    expect(frontend.data).toContain("image: nginx:1.27");
    expect(cart.data).toContain("namespace: shop");
    expect(cart.data).not.toContain("nginx:1.27");
    expect(frontend.validations).toEqual([
      { function: "cel-validate", index: 2, passed: true, details: [], failedAttributes: [] },
    ]);
    expect(await mtimes()).toEqual(before);
    expect((await run({ write: true })).exitCode).toBe(0);
    expect(await readFile(join(dir, "apps", "service.yaml"), "utf8")).toContain("namespace: shop");
  });

  it("names the pipeline file and line of each mistake", async () => {
    const pipeline = (text: string) => () => parsePipeline(text, "confn.yaml");
    expect(pipeline("mutators:\n  - function: set-namespace\n    arg: [x]\n")).toThrow(
      'confn.yaml:3: mutators[0]: unknown key "arg" (expected function, args, selector)',
    );
    expect(pipeline("validators:\n  - args: [x]\n")).toThrow(
      "confn.yaml:2: validators[0]: function is missing",
    );
    expect(pipeline("mutators: [\n")).toThrow(/^confn\.yaml:2: not valid YAML/);
    expect(pipeline("toolchain: Nope\nmutators: []\n")).toThrow(
      /confn\.yaml:1: toolchain: Nope: expected one of/,
    );
    expect(pipeline("{}\n")).toThrow("confn.yaml:1: the pipeline lists no mutators and no validators");
    await writeFile(
      join(dir, "apps", "confn.yaml"),
      "mutators:\n  - function: set-namespac\n    args: [x]\n",
    );
    await expect(run()).rejects.toThrow(
      `${join(dir, "apps", "confn.yaml")}:2: mutators[0]: function set-namespac does not exist for toolchain Kubernetes/YAML (did you mean set-namespace?)`,
    );
  });
});
