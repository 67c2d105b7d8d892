// `--space S` names a Space by slug or ID (remote/slug-resolution.ts); the client always sends IDs.
import type { ConfnClient } from "./http-client.ts";
import { isUuid, resolveSlug } from "./slug-resolution.ts";

export { isUuid };

export interface SelectedSpace {
  readonly spaceId: string;
  /** The slug when known (for messages); the ID otherwise. */
  readonly label: string;
}

export async function selectSpace(client: ConfnClient, space: string): Promise<SelectedSpace> {
  const { id, label } = await resolveSlug(
    client,
    {
      listPath: "/space",
      title: "Space",
      idField: "SpaceID",
      scope: "in your organization",
      flag: "--space",
    },
    space,
  );
  return { spaceId: id, label };
}
