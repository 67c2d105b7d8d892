// The first start of an empty database creates the `default` organization and an admin token
// for it. The token is returned once for the caller to show; later starts find an organization
// and return nothing, so no secret is ever shown twice.
import { sql, type Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import type { DatabaseSchema, OrganizationRow } from "./schema.ts";
import { createApiToken } from "./tokens.ts";
import { inTransaction } from "./transaction.ts";

export const DEFAULT_ORGANIZATION_SLUG = "default";

export interface Bootstrapped {
  readonly organization: OrganizationRow;
  readonly adminToken: string;
}

export async function bootstrapDefaultOrganization(
  db: Kysely<DatabaseSchema>,
): Promise<Bootstrapped | undefined> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom("organizations")
      .select(sql<number>`count(*)::int`.as("count"))
      .executeTakeFirstOrThrow();
    if (existing.count > 0) return undefined;
    // Several servers may start on one empty PostgreSQL at once: the slug's unique key lets one win.
    const organization = await trx
      .insertInto("organizations")
      .values({
        organization_id: randomUUID(),
        slug: DEFAULT_ORGANIZATION_SLUG,
        display_name: DEFAULT_ORGANIZATION_SLUG,
      })
      .onConflict((oc) => oc.column("slug").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!organization) return undefined;
    const { token } = await createApiToken(trx, {
      organizationId: organization.organization_id,
      role: "admin",
      description: "created on first start",
    });
    return { organization, adminToken: token };
  });
}
