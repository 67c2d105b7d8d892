// What a ConfigDocument needs from the set that owns it.
import type { ToolchainIdentity } from "../identity/resource-identity.ts";
import type { ParseLimits } from "../parse/limits.ts";
import type { DocumentSlot } from "./document-slot.ts";

export interface DocumentHost {
  readonly identity: ToolchainIdentity;
  readonly limits: ParseLimits;
  /** Line ending used by the Unit text, for inserted lines. */
  readonly eol: string;
  /** Position of the slot among the set's resource documents (-1 once removed). */
  indexOf(slot: DocumentSlot): number;
  /** Called after any edit of a document's text. */
  changed(): void;
}
