package dev.pipewright.store;

import java.sql.SQLException;

/**
 * The database failed to do what was asked: it is unreachable, restarting, or refused a statement. Nothing of the
 * failed transaction was committed; callers may try again.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
