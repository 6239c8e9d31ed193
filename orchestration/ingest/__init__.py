"""What every source shares: format detection, bronze writing, quarantine and the ledger."""
