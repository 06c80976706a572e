-- dcc-kit issuance ledger, schema version 1. The same statements run on SQLite and PostgreSQL.
-- One row per issued certificate; rows are chained: record_hash = SHA-256(prev_hash, content).
CREATE TABLE IF NOT EXISTS dcc_ledger (
    seq BIGINT PRIMARY KEY,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    kid TEXT NOT NULL,
    certificate_type TEXT NOT NULL,
    country TEXT NOT NULL,
    uci TEXT NOT NULL,
    hash_uci TEXT,
    hash_country_code_uci TEXT,
    hash_signature TEXT NOT NULL,
    operator TEXT NOT NULL,
    hc1_sha256 TEXT NOT NULL,
    personal_data TEXT,
    prev_hash TEXT NOT NULL,
    record_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dcc_ledger_operator ON dcc_ledger (operator, issued_at);
CREATE INDEX IF NOT EXISTS dcc_ledger_issued_at ON dcc_ledger (issued_at);
CREATE INDEX IF NOT EXISTS dcc_ledger_kid ON dcc_ledger (kid);
CREATE INDEX IF NOT EXISTS dcc_ledger_uci ON dcc_ledger (uci);
