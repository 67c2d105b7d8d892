// Saved Filters, Invocations and Triggers named on the `function do` command line (--filter,
// --saved-invocation, --trigger): by ID, or by slug in the call's Space; organization-wide (--org)
// a slug is looked up in every Space, and one used in several is refused rather than guessed.
import { CliUsageError } from "../cli-error.ts";
import { INVOCATION, TRIGGER, str, type EntityKind, type WireEntity } from "./entity-kinds.ts";
import type { ConfnClient } from "./http-client.ts";
import { isSlug, resolveSlug } from "./slug-resolution.ts";
import type { SelectedSpace } from "./space-selection.ts";

/** What --saved-invocation and --trigger name. */
export interface SavedCallFlags {
  readonly savedInvocation?: readonly string[];
  readonly trigger?: readonly string[];
}

/** The IDs of --saved-invocation and --trigger, and how to name them in messages. */
export async function savedCalls(
  c: ConfnClient,
  space: SelectedSpace | undefined,
  flags: SavedCallFlags,
): Promise<{ invocationIds: string[]; triggerIds: string[]; labels: string[] }> {
  const labels: string[] = [];
  const ids = async (kind: EntityKind, refs: readonly string[] = []) => {
    const found: string[] = [];
    for (const ref of refs) {
      const flag = kind === INVOCATION ? "--saved-invocation" : "--trigger";
      const { id, label } = await savedEntityId(c, space, kind, ref, flag);
      found.push(id);
      labels.push(`${kind.title} ${label}`);
    }
    return found;
  };
  return {
    invocationIds: await ids(INVOCATION, flags.savedInvocation),
    triggerIds: await ids(TRIGGER, flags.trigger),
    labels,
  };
}

/**
 * A saved Filter, Invocation or Trigger named on the command line (`flag`): by ID, or by slug in
 * the Space of the call (with --org, in the whole organization, where a slug used in several
 * Spaces is ambiguous).
 */
export async function savedEntityId(
  c: ConfnClient,
  space: SelectedSpace | undefined,
  kind: EntityKind,
  ref: string,
  flag: string,
): Promise<{ id: string; label: string }> {
  const lookup = {
    listPath: space ? `/space/${space.spaceId}/${kind.path}` : `/${kind.path}`,
    title: kind.title,
    idField: kind.idField,
    scope: space ? `in space ${space.label}` : "in your organization",
    flag,
  };
  if (!space && isSlug(ref)) {
    const matches = await c.get<Record<string, WireEntity>[] | null>(lookup.listPath, `${kind.name}s`, {
      where: `Slug = '${ref}'`,
      include: "SpaceID",
    });
    if ((matches ?? []).length > 1) {
      const spaces = (matches ?? []).map((m) => str((m.Space as WireEntity | undefined)?.Slug)).join(", ");
      throw new CliUsageError(
        `${flag} ${ref}: ${kind.title}s of that slug exist in several Spaces (${spaces}): name one with --space, or by ID`,
      );
    }
  }
  return resolveSlug(c, lookup, ref);
}
