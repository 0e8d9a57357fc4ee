-- ControlPlane PostgreSQL schema (PostgreSQL 15 or later).
--
-- The tables and the OrleansQuery rows that Orleans 10.4.2's ADO.NET providers need with the
-- invariant "Npgsql": clustering (Microsoft.Orleans.Clustering.AdoNet), grain state
-- (Microsoft.Orleans.Persistence.AdoNet) and reminders (Microsoft.Orleans.Reminders.AdoNet).
-- No package ships this: ControlPlane owns it. It implements the providers' contract, that is the
-- query keys they load from OrleansQuery, the @parameters they bind and the result columns they
-- read, as compiled into the 10.4.2 assemblies; it is not a copy of the scripts in the Orleans
-- repository. Every write is one SQL statement (data-modifying CTEs; the one trigger, which keeps
-- the list of unfinished operations, runs inside the statement that fired it), so each is atomic
-- on its own under Orleans' autocommit connections.
--
-- Idempotent: apply it as often as needed, e.g.
--   psql -v ON_ERROR_STOP=1 -q -f deploy/sql/schema.sql
-- Tables, indexes and the sequence are created when missing; the query rows are rewritten.
-- Everything is applied in one transaction: a failure leaves the database as it was.
--
-- How the providers bind parameters (Npgsql 10, no legacy timestamp switch): strings as text,
-- int as integer, long as bigint, byte[] as bytea, DateTime (always UTC) as timestamptz. Result
-- columns are found by name, case-insensitively, so unquoted (lower-cased) names are fine.

BEGIN;
SET LOCAL client_min_messages = warning;

-- ---------------------------------------------------------------------------------------------
-- Query catalogue. Each provider reads it once at start-up with
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and fails to start when one of its required keys is missing.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- ---------------------------------------------------------------------------------------------
-- Clustering (membership).
--
-- One version row per cluster (DeploymentId = ClusterOptions.ClusterId). Orleans' extended
-- membership protocol uses its Version as the table's ETag: a silo may insert or change a
-- membership row only together with moving Version from the value it last read to the next one,
-- so two silos acting on the same snapshot cannot both succeed. The heartbeat (IAmAliveTime) and
-- the clean-up of long-dead rows do not take part in that protocol and leave Version alone.
--
-- Lock order, the same in every statement: the version row first, then membership rows.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL,
    Version      integer     NOT NULL DEFAULT 0,
    ModifiedOn   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT OrleansMembershipVersionTable_Key PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL,
    Address      text        NOT NULL,           -- IP address as text, e.g. 127.0.0.1
    Port         integer     NOT NULL,           -- silo-to-silo port
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,           -- Orleans SiloStatus: 3 active, 6 dead, ...
    ProxyPort    integer     NOT NULL DEFAULT 0, -- client gateway port, 0 when none
    SuspectTimes text        NULL,               -- 'silo,time|silo,time', written by Orleans
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT OrleansMembershipTable_Key PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- Grain state.
--
-- A grain's state is one row, named by (ServiceId, grain type, grain id). Orleans computes the
-- two hashes; the grain id is split into N0/N1 (integer and Guid keys) and an extension string
-- (the whole key of a string-keyed grain, or the key extension, or NULL). Version is the ETag:
-- NULL in Orleans means "never read a row", and every successful write moves it by one. A write
-- or clear against a stale Version changes nothing and returns no row, which Orleans reports as
-- InconsistentStateException.
--
-- The payload is whatever the configured grain-storage serializer produced (ControlPlane: JSON
-- as UTF-8, readable with convert_from(PayloadBinary, 'UTF8')).
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,     -- NULL after a clear that keeps the row
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

-- At most one row per grain: this is what makes two concurrent first writes (Version NULL) of
-- the same grain end with exactly one winner. The strings enter the key through md5 so that long
-- keys stay within a btree entry; NULLS NOT DISTINCT keeps a NULL extension (integer or Guid key
-- without extension) apart from every string, the empty one included. It also serves the lookups,
-- which always give the leading columns.
CREATE UNIQUE INDEX IF NOT EXISTS OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId,
                       md5(GrainTypeString), md5(GrainIdExtensionString))
    NULLS NOT DISTINCT;

-- A zone reads its servers' states in one query at its activation (ControlPlane's
-- PostgresGrainStateBatchReader): the server ids come from the operator's topology.
CREATE INDEX IF NOT EXISTS OrleansStorage_Servers
    ON OrleansStorage (GrainIdExtensionString)
    WHERE GrainTypeString = 'server';

-- Unfinished operations: one row per operation whose stored state is not terminal, kept by a
-- trigger in the same statement as the operation's write (state name 'operation', JSON payload),
-- so an operation is never stored without its wake-up. Each silo lists it every
-- ControlPlane:Operations:RecoveryPeriod and resumes its share (ControlPlane's OperationRecovery);
-- an operation's own writes need no reminder. OpenedOn is when the operation was first stored
-- unfinished. PostgreSQL's JSON functions refuse a \u0000 escape, which an agent's error message
-- could bring into an operation (its write would then fail for ever): the trigger reads the payload
-- with that escape replaced. An operation is listed unless its payload says it is terminal.
CREATE TABLE IF NOT EXISTS OpenOperations
(
    ServiceId    text        NOT NULL,
    OperationKey text        NOT NULL,
    OpenedOn     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ServiceId, OperationKey)
);

-- The recovery sweep walks the list in (OpenedOn, OperationKey) order, a page at a time (OperationRecovery).
DROP INDEX IF EXISTS OpenOperations_Opened;
CREATE INDEX IF NOT EXISTS OpenOperations_OpenedKey ON OpenOperations (ServiceId, OpenedOn, OperationKey);

-- Whether a stored operation payload is unfinished: the one rule of the trigger and of the backfill below.
CREATE OR REPLACE FUNCTION OpenOperations_IsOpen(payload bytea) RETURNS boolean LANGUAGE plpgsql STABLE STRICT AS $f$
DECLARE
    parsed json := replace(convert_from(payload, 'UTF8'), '\u0000', '\ufffd')::json;
BEGIN
    RETURN json_typeof(parsed -> 'Operation') = 'object' AND (parsed #>> '{Operation,IsTerminal}') IS DISTINCT FROM 'true';
END
$f$;

CREATE OR REPLACE FUNCTION OpenOperations_Follow() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM OpenOperations WHERE ServiceId = OLD.ServiceId AND OperationKey = OLD.GrainIdExtensionString;
    ELSIF OpenOperations_IsOpen(NEW.PayloadBinary) IS TRUE THEN
        INSERT INTO OpenOperations (ServiceId, OperationKey)
        VALUES (NEW.ServiceId, NEW.GrainIdExtensionString)
        ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM OpenOperations WHERE ServiceId = NEW.ServiceId AND OperationKey = NEW.GrainIdExtensionString;
    END IF;
    RETURN NULL;
END
$f$;

-- First applied to a database whose operations had reminders instead: those unfinished now are listed,
-- with the table locked against writes until the triggers exist (this transaction's end), so that no
-- operation ends between the backfill and the trigger and stays listed.
LOCK TABLE OrleansStorage IN SHARE ROW EXCLUSIVE MODE;

DO $d$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'orleansstorage_openoperations_written') THEN
        INSERT INTO OpenOperations (ServiceId, OperationKey, OpenedOn)
        SELECT ServiceId, GrainIdExtensionString, ModifiedOn FROM OrleansStorage
        WHERE GrainTypeString = 'operation' AND OpenOperations_IsOpen(PayloadBinary)
        ON CONFLICT DO NOTHING;
    END IF;
END
$d$;

CREATE OR REPLACE TRIGGER OrleansStorage_OpenOperations_Written
    AFTER INSERT OR UPDATE ON OrleansStorage
    FOR EACH ROW WHEN (NEW.GrainTypeString = 'operation')
    EXECUTE FUNCTION OpenOperations_Follow();

CREATE OR REPLACE TRIGGER OrleansStorage_OpenOperations_Deleted
    AFTER DELETE ON OrleansStorage
    FOR EACH ROW WHEN (OLD.GrainTypeString = 'operation')
    EXECUTE FUNCTION OpenOperations_Follow();

-- ---------------------------------------------------------------------------------------------
-- Reminders.
--
-- One row per (ServiceId, grain, reminder name). GrainHash is the grain's uniform hash as a
-- signed integer, so that a silo can read the reminders of its ring range. Version is the
-- reminder's ETag. It is drawn from a sequence, not counted per row: a reminder that is deleted
-- and created again never gets back an ETag that an earlier one had, so a stale ETag cannot
-- delete its successor.
-- ---------------------------------------------------------------------------------------------

CREATE SEQUENCE IF NOT EXISTS OrleansRemindersVersion
    AS integer MINVALUE 1 MAXVALUE 2147483647 CYCLE;

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,           -- GrainId.ToString(), e.g. operation/abc
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,           -- milliseconds
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT OrleansRemindersTable_Key PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS OrleansRemindersTable_Range
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- ---------------------------------------------------------------------------------------------
-- The queries. Texts are dollar-quoted here; what is stored (and sent by Npgsql, which binds the
-- @names) is the text between the $q$ marks.
--
-- Result conventions the providers rely on:
--   * "boolean" queries (InsertMembershipVersionKey, InsertMembershipKey, UpdateMembershipKey,
--     DeleteReminderRowKey) return exactly one row with exactly one column; non-zero = success;
--   * membership reads return the version row even when no membership row matches (a LEFT JOIN:
--     StartTime NULL means "no member"), and Version on every row;
--   * grain-state writes return NewGrainStateVersion, or no row at all when the ETag is stale.
-- ---------------------------------------------------------------------------------------------

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Clustering ----------------------------------------------------------------------------------

-- Creates the cluster's version row (Version 0) unless it exists. Returns 1 when it created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Version, ModifiedOn)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::int AS created FROM created
$q$),

-- Adds a silo's row when the table is still at @Version and the row does not exist yet, and moves
-- the table to @Version + 1 in the same statement. Returns 1 on success, 0 otherwise (stale
-- version, row already there, unknown cluster); then nothing has changed.
-- "current" locks the version row first (FOR UPDATE re-reads it after any concurrent change, so a
-- concurrent winner makes it empty); holding that lock, nobody else can move the version until
-- this statement commits, so the row insert and the version bump below both happen or neither.
('InsertMembershipKey', $q$
WITH current AS MATERIALIZED (
    SELECT v.DeploymentId
    FROM OrleansMembershipVersionTable AS v
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
    FOR UPDATE
), added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
         SuspectTimes, StartTime, IAmAliveTime)
    SELECT current.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM current
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET Version = v.Version + 1,
        ModifiedOn = now()
    FROM added
    WHERE v.DeploymentId = added.DeploymentId
    RETURNING v.Version
)
SELECT count(*)::int AS inserted FROM bumped
$q$),

-- Changes a silo's status, suspicions and heartbeat when the table is still at @Version and the
-- row exists, and moves the table to @Version + 1 in the same statement. Returns 1 or 0, as above.
('UpdateMembershipKey', $q$
WITH current AS MATERIALIZED (
    SELECT v.DeploymentId
    FROM OrleansMembershipVersionTable AS v
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
    FOR UPDATE
), changed AS (
    UPDATE OrleansMembershipTable AS m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM current
    WHERE m.DeploymentId = current.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING m.DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET Version = v.Version + 1,
        ModifiedOn = now()
    FROM changed
    WHERE v.DeploymentId = changed.DeploymentId
    RETURNING v.Version
)
SELECT count(*)::int AS updated FROM bumped
$q$),

-- Heartbeat: only IAmAliveTime, no version change. Orleans ignores the result.
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
$q$),

-- One silo's row with the table version; the version row alone (member columns NULL) when the
-- silo has no row; nothing when the cluster has no version row.
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$),

-- All rows of the cluster with the table version, read in one snapshot.
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$),

-- Active silos that accept clients (@Status is SiloStatus.Active), for the gateway list.
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0
$q$),

-- Drops the whole cluster: the version row, and its membership rows through ON DELETE CASCADE.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId
$q$),

-- Required by 10.4.2 but only run when CleanupDefunctSiloEntryKey is absent: deletes dead silos
-- (status 6) that started and last said they were alive before @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND StartTime < @IAmAliveTime
  AND IAmAliveTime < @IAmAliveTime
$q$),

-- Optional key, used by 10.4.2 when present: it reads all rows, picks the dead ones that are old
-- enough and have no recent suspicion, and deletes each one only if it is still exactly as read
-- (compare-and-delete on status, times and suspicions), so a row that changed meanwhile stays.
-- NULL and '' suspicions are the same to Orleans and are compared as such.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '')
$q$),

-- Grain state ---------------------------------------------------------------------------------

-- The grain's row: payload (NULL after a clear) and version. No row: never written (or deleted).
('ReadFromStorageKey', $q$
SELECT s.PayloadBinary, s.Version, s.ModifiedOn
FROM OrleansStorage AS s
WHERE s.GrainIdHash = @GrainIdHash
  AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0
  AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId
  AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- With @GrainStateVersion set: replaces the payload of the row still at that version and returns
-- the next version. With @GrainStateVersion NULL: creates the row at version 1 unless the grain
-- already has one (the unique index settles concurrent creators). Otherwise returns no row.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage AS s
    SET PayloadBinary = @PayloadBinary,
        Version = s.Version + 1,
        ModifiedOn = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND s.GrainIdHash = @GrainIdHash
      AND s.GrainTypeHash = @GrainTypeHash
      AND s.GrainIdN0 = @GrainIdN0
      AND s.GrainIdN1 = @GrainIdN1
      AND s.ServiceId = @ServiceId
      AND s.GrainTypeString = @GrainTypeString
      AND s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND s.Version = @GrainStateVersion
    RETURNING s.Version
), created AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM created
$q$),

-- Clear keeping the row (the default, DeleteStateOnClear = false): payload to NULL and next
-- version, only at @GrainStateVersion. Orleans reads the first column as the new ETag.
('ClearStorageKey', $q$
UPDATE OrleansStorage AS s
SET PayloadBinary = NULL,
    Version = s.Version + 1,
    ModifiedOn = now()
WHERE s.GrainIdHash = @GrainIdHash
  AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0
  AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId
  AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.Version = @GrainStateVersion
RETURNING s.Version AS NewGrainStateVersion
$q$),

-- Clear removing the row (DeleteStateOnClear = true), only at @GrainStateVersion. Returns the
-- version after the deleted one, so that Orleans sees a change and not a conflict.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage AS s
WHERE s.GrainIdHash = @GrainIdHash
  AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0
  AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId
  AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.Version = @GrainStateVersion
RETURNING s.Version + 1 AS NewGrainStateVersion
$q$),

-- Reminders -----------------------------------------------------------------------------------

-- Creates or replaces a reminder and returns its new ETag (column Version). One statement: two
-- concurrent upserts of the same reminder both succeed, one after the other, with distinct ETags.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash,
     nextval('orleansremindersversion')::integer)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = excluded.Version
RETURNING r.Version
$q$),

-- One grain's reminders.
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
$q$),

-- One reminder, or no row.
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
$q$),

-- Ring range (@BeginHash, @EndHash] that does not wrap: Orleans uses it when BeginHash < EndHash
-- as signed integers.
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash
$q$),

-- Ring range that wraps (BeginHash >= EndHash as signed integers): above the start or up to the
-- end; with BeginHash = EndHash that is the whole ring.
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

-- Deletes a reminder only at its ETag @Version. Returns 1 when it did, 0 otherwise.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::int AS removed FROM removed
$q$),

-- All reminders of the service (used by Orleans' tests and tooling).
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- ---------------------------------------------------------------------------------------------
-- ControlPlane's own tables.
--
-- None yet: the control plane keeps its state in grains (OrleansStorage above). Tables of its own
-- (the audit log, metering, ...) go here as later features need them, created idempotently like
-- the ones above (CREATE ... IF NOT EXISTS) and named without the Orleans prefix.
-- ---------------------------------------------------------------------------------------------

-- ---------------------------------------------------------------------------------------------
-- Audit log (ControlPlane's own; see docs/audit.md). One row per record, hash-chained: each
-- row's hash covers its content and the previous row's hash, so verification names any row that
-- was edited, removed or moved. ControlPlane only inserts rows, and deletes them only behind the
-- retention checkpoint, written in the same statement.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS audit_log
(
    sequence bigint NOT NULL PRIMARY KEY,
    time timestamptz NOT NULL,
    principal text NOT NULL,
    role text NOT NULL,
    ops_centre text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    tenant_id text NOT NULL,
    decision text NOT NULL,
    reason text NOT NULL,
    trace_id text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL
);

CREATE INDEX IF NOT EXISTS audit_log_tenant ON audit_log (tenant_id, sequence);
CREATE INDEX IF NOT EXISTS audit_log_principal ON audit_log (principal, sequence);

CREATE TABLE IF NOT EXISTS audit_checkpoint
(
    id integer NOT NULL PRIMARY KEY CHECK (id = 1),
    sequence bigint NOT NULL,
    hash text NOT NULL,
    time timestamptz
);

COMMIT;
