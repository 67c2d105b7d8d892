// Public API of the store: the database (PGlite embedded or PostgreSQL), migrations, and one repository
// per entity. The store is the only layer that writes SQL; every query is org-scoped and parameterised.
// Other layers import it through this file only (eslint.config.js checks it).
export { bootstrapDefaultOrganization, type Bootstrapped } from "./bootstrap.ts";
export {
  listChangeSets,
  getChangeSet,
  createChangeSet,
  modifyChangeSet,
  deleteChangeSet,
  type ChangeSetAttributes,
  type ListChangeSetsOptions,
  type ChangeSetModification,
} from "./change-sets.ts";
export {
  MEMORY_DATA_DIR,
  databaseConfigFromEnv,
  describeDatabase,
  type DatabaseConfig,
} from "./database-config.ts";
export { openDatabase, type DialectName, type Database, type OpenOptions } from "./database.ts";
export {
  storeErrorCodes,
  StoreError,
  NotFoundError,
  VersionConflictError,
  DuplicateSlugError,
  NotEmptyError,
  DeleteGatedError,
  DataDirLockedError,
  MigrationError,
  type StoreErrorCode,
} from "./errors.ts";
export {
  listFilters,
  getFilter,
  createFilter,
  modifyFilter,
  deleteFilter,
  type FilterAttributes,
  type ListFiltersOptions,
  type FilterModification,
} from "./filters.ts";
export { dataHash, contentHash } from "./hashes.ts";
export {
  listInvocations,
  getInvocation,
  getInvocations,
  createInvocation,
  modifyInvocation,
  deleteInvocation,
  type InvocationAttributes,
  type ListInvocationsOptions,
  type InvocationModification,
} from "./invocations.ts";
export { json, sameMap } from "./json.ts";
export { migrateToLatest, type MigrationSummary } from "./migrate.ts";
export {
  findMutationByNum,
  findRevision,
  findRevisionByNum,
  listOrganizationRevisions,
  listUnitMutations,
  listUnitRevisions,
  type HistoryListOptions,
  type ListedRevision,
  type RevisionListOptions,
} from "./history-lists.ts";
export { entityMatches, findEntityRow, type StoredEntity } from "./entity-match.ts";
export { createOrganization, findOrganizationBySlug, type NewOrganization } from "./organizations.ts";
export { getRevision } from "./revisions.ts";
export { getRevisionByNum, getLatestChangeSetRevision } from "./revision-lookup.ts";
export {
  type StringMap,
  type BoolMap,
  type Role,
  type StoredArgument,
  type StoredFunctionInvocation,
  type DatabaseSchema,
  type OrganizationRow,
  type ApiTokenRow,
  type SpaceRow,
  type UnitRow,
  type RevisionRow,
  type MutationRow,
  type FilterRow,
  type InvocationRow,
  type TriggerRow,
  type ChangeSetRow,
  type BridgeWorkerRow,
  type BridgeWorkerStatusRow,
} from "./schema.ts";
export {
  WORKER_SECRET_PREFIX,
  listBridgeWorkers,
  getBridgeWorker,
  createBridgeWorker,
  modifyBridgeWorker,
  deleteBridgeWorker,
  rotateBridgeWorkerSecret,
  authenticateBridgeWorker,
  recordWorkerConnected,
  recordWorkerDisconnected,
  recordWorkerSeen,
  recordWorkerUnresponsive,
  recordLapsedWorkersDisconnected,
  renewWorkerLease,
  DEFAULT_WORKER_LEASE_MS,
  listBridgeWorkerStatuses,
  getBridgeWorkerStatus,
  type BridgeWorkerAttributes,
  type BridgeWorkerWithSecret,
  type BridgeWorkerModification,
  type ListBridgeWorkersOptions,
  type WorkerKey,
} from "./bridge-workers.ts";
export {
  insertQueuedOperation,
  claimQueuedOperation,
  pendingQueuedOperations,
  finishQueuedOperation,
  queuedOperationOutcome,
  deleteQueuedOperation,
  deleteExpiredQueuedOperations,
  type NewQueuedOperation,
  type ClaimedOperation,
  type OperationOutcome,
  type QueuedOperationStatus,
} from "./queued-operations.ts";
export { notify, type NotificationHandler, type NotificationListener } from "./notifications.ts";
export {
  listSpaces,
  getSpace,
  createSpace,
  modifySpace,
  deleteSpace,
  type SpaceRecord,
  type SpaceAttributes,
  type ListSpacesOptions,
  type SpaceModification,
  type DeleteSpaceOptions,
} from "./spaces.ts";
export {
  TOKEN_PREFIX,
  ROLES,
  hashToken,
  createApiToken,
  authenticateToken,
  listApiTokens,
  revokeApiToken,
  type RevokeOutcome,
  type NewApiToken,
  type IssuedToken,
  type Principal,
} from "./tokens.ts";
export {
  listTriggers,
  getTrigger,
  getTriggers,
  createTrigger,
  modifyTrigger,
  deleteTrigger,
  listEnabledTriggers,
  type TriggerAttributes,
  type ListTriggersOptions,
  type TriggerModification,
} from "./triggers.ts";
export {
  writeUnitData,
  writeUnitDataBatch,
  type RevisionSource,
  type DataChangeHook,
  type DataChange,
  type DataChangeOutcome,
  type UnitDataWrite,
  type UnitDataWritten,
  type UnitDataBatchWritten,
  type UnitDataWriteResult,
} from "./unit-data-write.ts";
export { unitDataColumns, type UnitDataColumns } from "./unit-data-columns.ts";
export { checkUnitData, type UnitDataCheck } from "./unit-data-check.ts";
export { selectBulkUnits, findUnitBySlug, type BulkUnitRef, type BulkUnitSelection } from "./unit-bulk.ts";
export { selectUnitBatch, selectUnitIds, type SelectedUnit, type UnitSelection } from "./unit-selection.ts";
export { unitDataPrefilter } from "./unit-data-prefilter.ts";
export { backfillUnitDataJson, startUnitDataJsonBackfill, type Backfill } from "./unit-data-json-backfill.ts";
export { refreshStatistics, startStatisticsUpkeep, type StatisticsUpkeep } from "./pglite-statistics.ts";
export {
  listUnits,
  getUnit,
  createUnit,
  modifyUnit,
  unitToolchainType,
  assertUnitExists,
  deleteUnit,
  type UnitRecord,
  type UnitAttributes,
  type WriteContext,
  type UnitKey,
  type ListUnitsOptions,
  type ListedUnit,
  type UnitCreated,
  type UnitUpstream,
  type NewUnit,
  type UnitModification,
  type UnitModified,
} from "./units.ts";
export { DEFAULT_FILTER_TIMEOUT_MS, withFilterBounds, type FilterBoundsOptions } from "./filter-bounds.ts";
export { asOrganization, currentOrganization, OrganizationShare } from "./organization-share.ts";
export {
  guardDialect,
  inTransaction,
  RootHandleInTransactionError,
  type GuardOptions,
  type TransactionHandle,
} from "./transaction.ts";
