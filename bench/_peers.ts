// The peers bench/invoke.ts compares confn with, on the same manifests (one file per Unit): `kubectl
// kustomize` with an `images:` transformer, and `yq` editing each file in place, one process per file
// as a shell loop would (the per-file baseline). Which yq the machine has is detected: the Python one
// (kislyuk/yq, a jq wrapper: `yq -i -y`, drops comments) or mikefarah's (v4 syntax, keeps them).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the Units as unit-<i>.yaml in a new directory `dir`; returns the file names. */
export function writeUnitFiles(units: readonly string[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return units.map((data, i) => {
    writeFileSync(join(dir, `unit-${i}.yaml`), data);
    return `unit-${i}.yaml`;
  });
}

export function kubectlInstalled(): boolean {
  return !spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).error;
}

export interface PeerRun {
  readonly seconds: number;
  /** False when the time limit stopped it: `seconds` is then a lower bound. */
  readonly finished: boolean;
}

/** `kubectl kustomize` with one images entry per Unit over the files in `dir`. */
export function kustomize(
  dir: string,
  files: readonly string[],
  units: readonly string[],
  newImage: string,
  timeLimitMs: number,
): PeerRun {
  // One entry per image name: each Unit's app container has an image of its own.
  const names = units.map((data) => /image: (registry\.example\.com\/svc-[^:\s]+):/.exec(data)![1]!);
  const [newName, newTag] = newImage.split(":");
  writeFileSync(
    join(dir, "kustomization.yaml"),
    [
      "resources:",
      ...files.map((f) => `  - ${f}`),
      "images:",
      ...names.map((name) => `  - name: ${name}\n    newName: ${newName}\n    newTag: ${newTag}`),
      "",
    ].join("\n"),
  );
  const started = performance.now();
  const result = spawnSync("kubectl", ["kustomize", dir], {
    maxBuffer: 1024 ** 3,
    timeout: timeLimitMs,
    killSignal: "SIGKILL",
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.signal === "SIGKILL") return { seconds, finished: false };
  if (result.status !== 0) throw new Error(`bench: kubectl kustomize failed: ${String(result.stderr)}`);
  if (!String(result.stdout).includes(newImage)) throw new Error("bench: kustomize set no image");
  return { seconds, finished: true };
}

export interface Yq {
  readonly path: string;
  /** What it is, for the report. */
  readonly description: string;
  /** The arguments that set the `app` container's image of each Deployment, in place. */
  readonly args: (file: string, newImage: string) => string[];
}

/** The machine's yq and its dialect, or why there is none to compare with. */
export function detectYq(path = "/usr/bin/yq"): Yq | { missing: string } {
  const version = spawnSync(path, ["--version"], { encoding: "utf8" });
  if (version.error) return { missing: `${path} is not installed` };
  const text = `${version.stdout}${version.stderr}`.trim();
  if (/mikefarah/i.test(text)) {
    return {
      path,
      description: `${path} (mikefarah's Go yq: ${text}; keeps comments)`,
      args: (file, image) => [
        "-i",
        `(select(.kind == "Deployment") | .spec.template.spec.containers[] | select(.name == "app") | .image) = "${image}"`,
        file,
      ],
    };
  }
  const help = spawnSync(path, ["--help"], { encoding: "utf8" });
  if (!/jq/.test(`${help.stdout}${help.stderr}`)) {
    return { missing: `${path} is neither mikefarah's yq nor the Python jq wrapper (${text})` };
  }
  // The Python yq prints its own package version as "0.0.0" on some Debian builds: name it by its script.
  const script = readFileSync(path, "utf8");
  const packaged = /'yq==([^']+)'/.exec(script)?.[1];
  return {
    path,
    description: `${path} (Python yq ${packaged ?? text}, a jq wrapper; -i -y drops comments)`,
    args: (file, image) => [
      "-i",
      "-y",
      `if .kind == "Deployment" then (.spec.template.spec.containers[] | select(.name == "app") | .image) = "${image}" else . end`,
      file,
    ],
  };
}

/**
 * yq in place over the files, one process per file in order, until they are done or the time limit
 * passes; the first file must then hold the new image.
 */
export function yqInPlace(
  yq: Yq,
  dir: string,
  files: readonly string[],
  newImage: string,
  timeLimitMs: number,
): { files: number; seconds: number; finished: boolean } {
  const started = performance.now();
  let done = 0;
  for (const file of files) {
    if (performance.now() - started > timeLimitMs) break;
    const result = spawnSync(yq.path, yq.args(join(dir, file), newImage), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`bench: ${yq.path} failed on ${file}: ${result.stderr}`);
    done++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (done > 0 && !readFileSync(join(dir, files[0]!), "utf8").includes(newImage)) {
    throw new Error(`bench: ${yq.path} did not set the image in ${files[0]}`);
  }
  return { files: done, seconds, finished: done === files.length };
}
