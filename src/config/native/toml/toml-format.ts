// AppConfig/TOML: a TOML 1.0 file seen as one nested YAML document. Values keep their types
// (strings, integers, floats, booleans, arrays, tables); dates and times show as strings in the view
// and are written back as the same TOML date/time type when the new string is one. Writing back edits
// only what changed (toml-writer.ts), so comments, blank lines, key order and value styles survive.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import type { NativeFormat, NativeView } from "../native-format.ts";
import { tomlIdentity } from "./toml-identity.ts";
import { buildTomlModel, type TomlModel } from "./toml-model.ts";
import { parseTomlSyntax } from "./toml-syntax.ts";
import { isPlainObject } from "./toml-render.ts";
import { sameValue, TomlWriter } from "./toml-writer.ts";
import { viewYaml } from "../view-yaml.ts";

function checkSize(text: string, limits: ParseLimits): void {
  const size = text.length * 3 <= limits.maxBytes ? text.length : Buffer.byteLength(text, "utf8");
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
}

class TomlView implements NativeView {
  readonly yaml: string;

  constructor(
    private readonly text: string,
    private readonly model: TomlModel,
    private readonly newline: string,
  ) {
    this.yaml = viewYaml(model.root.value);
  }

  encode(documents: readonly unknown[]): string {
    // No document (the view was empty, or its document was deleted) is a file without keys.
    if (documents.length === 0) return this.encode([{}]);
    if (documents.length > 1) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        `an AppConfig/TOML Unit holds one document, not ${documents.length}`,
      );
    }
    const document = documents[0];
    if (!isPlainObject(document)) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        "an AppConfig/TOML document must be a map (a TOML table)",
      );
    }
    if (sameValue(this.model.root.value, document)) return this.text;
    const writer = new TomlWriter(this.text, this.model, this.newline);
    writer.diffTable(this.model.root, document);
    return writer.finish();
  }
}

export const tomlFormat: NativeFormat = {
  toolchain: tomlIdentity.toolchain,
  identity: tomlIdentity,
  decode(text: string, limits: ParseLimits): NativeView {
    checkSize(text, limits);
    const { statements, newline } = parseTomlSyntax(text, limits.maxDepth);
    const model = buildTomlModel(text, statements, limits.maxDepth);
    return new TomlView(text, model, newline);
  },
};
