// The one set of `yaml` options every document is composed with, so a document parsed with the Unit
// and a document re-parsed after an edit read the same way.
import type { DocumentOptions, ParseOptions, SchemaOptions } from "yaml";

export const composeOptions: ParseOptions & DocumentOptions & SchemaOptions = Object.freeze({
  // Nodes keep their CST token, which is where edits are written.
  keepSourceTokens: true,
  // YAML 1.2 core schema (spec §0), with `<<` merge keys as kubectl/kyaml read them.
  version: "1.2",
  schema: "core",
  merge: true,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
});
