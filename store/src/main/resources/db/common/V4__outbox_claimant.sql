-- Who holds a command's lease (the claimant named by the process that claimed it), null when nobody does: a
-- process that restarts under its old name takes its own leases back at once instead of waiting them out.
ALTER TABLE outbox ADD COLUMN claimed_by VARCHAR(200);
