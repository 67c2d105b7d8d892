// Organizations: the tenant boundary. Every other table carries organization_id and every query
// filters on it.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DuplicateSlugError, isUniqueViolation } from "./errors.ts";
import type { DatabaseSchema, OrganizationRow } from "./schema.ts";

export interface NewOrganization {
  readonly slug: string;
  readonly displayName?: string;
}

export async function createOrganization(
  db: Kysely<DatabaseSchema>,
  organization: NewOrganization,
): Promise<OrganizationRow> {
  try {
    return await db
      .insertInto("organizations")
      .values({
        organization_id: randomUUID(),
        slug: organization.slug,
        display_name: organization.displayName ?? organization.slug,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DuplicateSlugError("Organization", organization.slug, "this database");
    throw error;
  }
}

export async function findOrganizationBySlug(
  db: Kysely<DatabaseSchema>,
  slug: string,
): Promise<OrganizationRow | undefined> {
  return db.selectFrom("organizations").selectAll().where("slug", "=", slug).executeTakeFirst();
}
