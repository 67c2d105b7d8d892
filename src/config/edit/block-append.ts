// Grafting a freshly parsed item after the last entry of a block map or list. The last line may
// lack a line break (a file without a final newline): it gets one, and when the new item becomes
// the file's last line it loses its own, so the file still ends the way it did.
import type { CST } from "yaml";
import { appendNewline, isEntryItem, itemText, removeFinalNewline } from "./cst-tokens.ts";

export function appendBlockItem(
  collection: CST.BlockMap | CST.BlockSequence,
  fresh: CST.CollectionItem,
  eol: string,
): void {
  const items: CST.CollectionItem[] = collection.items;
  const entries = items.filter((i) => isEntryItem(collection, i));
  const last = entries[entries.length - 1];
  const position = last ? items.indexOf(last) + 1 : 0;
  if (last && !itemText(last).endsWith("\n")) {
    appendNewline(last, eol);
    if (position === items.length) removeFinalNewline(fresh);
  }
  items.splice(position, 0, fresh);
}
