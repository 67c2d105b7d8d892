// Renders a node's plain value as the YAML text MutationInfo.Value carries (spec §4.1): a scalar gives
// "10\n", a map gives block YAML ending in "\n", sequences unindented under their key like kyaml.
import { stringify } from "yaml";

export function renderYamlValue(value: unknown): string {
  return stringify(value, { indent: 2, indentSeq: false, lineWidth: 0 });
}
