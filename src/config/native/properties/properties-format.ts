// AppConfig/Properties (Java `.properties`) as a NativeFormat: the text is lexed losslessly
// (properties-lexer.ts), its YAML view is one nested document (properties-tree.ts), and edits are
// written back onto the original text line by line (properties-encode.ts).
import { stringify } from "yaml";
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import type { NativeFormat, NativeView } from "../native-format.ts";
import { encodeProperties } from "./properties-encode.ts";
import { propertiesIdentity } from "./properties-identity.ts";
import { LineIndex, lexProperties } from "./properties-lexer.ts";
import { propertiesTree } from "./properties-tree.ts";

function checkSize(text: string, limits: ParseLimits): void {
  const size = text.length * 3 <= limits.maxBytes ? text.length : Buffer.byteLength(text, "utf8");
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
}

export const propertiesFormat: NativeFormat = {
  toolchain: "AppConfig/Properties",
  identity: propertiesIdentity,
  decode(text: string, limits: ParseLimits): NativeView {
    checkSize(text, limits);
    const entries = lexProperties(text, new LineIndex(text));
    const tree = propertiesTree(entries, limits);
    const source = { text, entries };
    return {
      yaml: tree.size === 0 ? "" : stringify(tree, { lineWidth: 0 }),
      encode: (documents) => encodeProperties(source, documents),
    };
  },
};
