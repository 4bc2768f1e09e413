"""Background work of accounts: none. Access tokens are fetched when a call needs one
(:class:`wxops.accounts.token_store.DatabaseTokenStore`), never on a timer."""
