// ChangeSets: a named group of changes across Units. A Unit joins one through Unit.ChangeSetID;
// while it is a member, writes to its data must name the set (`change_set_id`), and the Revisions
// they create carry it. Tags (StartTagID/EndTagID) are not implemented: they stay null.
import {
  spaceEntityRepository,
  type ListSpaceEntitiesOptions,
  type SpaceEntityAttributes,
  type SpaceEntityModification,
} from "./space-entity-repository.ts";

export interface ChangeSetAttributes extends SpaceEntityAttributes {
  readonly description: string;
}

export type ListChangeSetsOptions = ListSpaceEntitiesOptions;
export type ChangeSetModification = SpaceEntityModification<ChangeSetAttributes>;

const changeSets = spaceEntityRepository({
  table: "change_sets",
  idColumn: "change_set_id",
  entity: "ChangeSet",
  columns: (attributes: ChangeSetAttributes) => ({ description: attributes.description }),
  sameOwnAttributes: (current, next) => current.description === next.description,
});

export const listChangeSets = changeSets.list;
/** The ChangeSet, found in the organization (and the Space, when given), or NotFoundError. */
export const getChangeSet = changeSets.get;
export const createChangeSet = changeSets.create;
/**
 * Reads the ChangeSet, lets `plan` decide its new attributes, and writes them with one Version
 * bump (none when nothing changed), in one transaction.
 */
export const modifyChangeSet = changeSets.modify;
/** Deletes the ChangeSet; its member Units leave it (units.change_set_id is set to null). */
export const deleteChangeSet = changeSets.delete;
