package dev.pipewright.cli;

import dev.pipewright.gateway.ReleaseParts;
import dev.pipewright.jobs.JobRunListener;
import dev.pipewright.model.Clock;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.store.Database;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The release side of {@code serve}: the release tables in the configured database, and the background work (writing
 * observations, reading the shared rollouts, analysing canaries) every {@link #INTERVAL}, so that a decision taken on
 * any replica reaches this one within about that time.
 */
final class ReleaseBackend implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(500);

    private final Releases releases;

    private ReleaseBackend(Releases releases) {
        this.releases = releases;
    }

    static ReleaseBackend start(Database database, Engine engine) {
        Releases releases = new Releases(
                        ReleaseStore.open(database),
                        engine::config,
                        engine.executor(),
                        engine.telemetry().registry(),
                        Clock.system(),
                        () -> ThreadLocalRandom.current().nextLong())
                .startBackground(INTERVAL);
        return new ReleaseBackend(releases);
    }

    /** What the workers of this process tell of each job run, for canary analysis and the rest of release work. */
    JobRunListener jobRuns() {
        return releases;
    }

    ReleaseParts parts() {
        return new ReleaseParts(releases, Optional.of(releases.control()));
    }

    @Override
    public void close() {
        releases.close();
    }
}
