-- The only form of quarantine anything public may read: which rule failed where, never the
-- raw row (it may hold personal data) nor the file name (it may name a partner).
create view quarantine_public as
    select run_id, batch_id, line, reasons, quarantined_at
    from quarantine;
