// Which files a local command reads, like `kpt fn eval DIR`: a file as given, `-` for standard
// input, or a directory searched recursively for the files of the run's toolchain (by extension),
// in a stable (sorted) order. Hidden directories (.git), node_modules and the pipeline file
// (confn.yaml) are skipped.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ToolchainType } from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";

/** The file extensions each toolchain's data is kept in. */
export const TOOLCHAIN_EXTENSIONS: Readonly<Record<ToolchainType, readonly string[]>> = {
  "Kubernetes/YAML": [".yaml", ".yml"],
  "AppConfig/Properties": [".properties"],
  "AppConfig/Env": [".env"],
  "AppConfig/TOML": [".toml"],
  "OpenTofu/HCL": [".tf"],
};

/** The toolchain whose data a file of this name holds, by its extension (undefined: none says). */
export function toolchainOfFile(path: string): ToolchainType | undefined {
  const name = path.toLowerCase();
  for (const [toolchain, extensions] of Object.entries(TOOLCHAIN_EXTENSIONS)) {
    if (extensions.some((extension) => name.endsWith(extension))) return toolchain as ToolchainType;
  }
  return undefined;
}

/** The pipeline file `confn render` reads; never a Unit itself. */
export const PIPELINE_FILE = "confn.yaml";

export interface InputSelection {
  readonly files: readonly string[];
  /** The path named a directory. */
  readonly directory: boolean;
}

export async function selectInputs(path: string, toolchain: ToolchainType): Promise<InputSelection> {
  if (path === "-") return { files: ["-"], directory: false };
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CliUsageError(`cannot read config data file ${path}: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) return { files: [path], directory: false };
  const extensions = TOOLCHAIN_EXTENSIONS[toolchain];
  const files: string[] = [];
  await walk(path, extensions, files);
  return { files: files.sort(), directory: true };
}

async function walk(dir: string, extensions: readonly string[], files: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && entry.name !== "node_modules") await walk(path, extensions, files);
    } else if (
      entry.isFile() &&
      entry.name !== PIPELINE_FILE &&
      extensions.some((extension) => entry.name.endsWith(extension))
    ) {
      files.push(path);
    }
  }
}
