package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.jobs.DlqEntry;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.Page;
import dev.pipewright.model.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipewright dlq list|replay ID}: the dead letter queue in the configured database. */
@Command(
        name = "dlq",
        description = "Lists and replays dead-lettered jobs in the configured database.",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.ReplayDeadLetter.class})
final class DlqCommand {
    private static final Logger audit = LoggerFactory.getLogger("pipewright.audit");

    @Command(name = "list", description = "Lists dead-lettered jobs with their last error, most recently dead first.")
    static final class ListDeadLetters implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobsCommand.Scope scope;

        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N jobs (default: 20).")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after a previous page.")
        String cursor;

        @Override
        public Integer call() {
            try (JobBackend jobs = JobBackend.open(scope.config.load().storage(), Clock.system())) {
                Page<DlqEntry> page = jobs.store().deadLetters(scope.tenant, Optional.ofNullable(cursor), limit);
                JobsCommand.printTable(
                        spec.commandLine().getOut(),
                        page.items().stream().map(DlqEntry::job).toList());
                page.nextCursor().ifPresent(next -> spec.commandLine().getOut().println("next page: --cursor " + next));
            }
            return 0;
        }
    }

    @Command(name = "replay", description = "Queues a dead-lettered job again; only its unfinished steps run.")
    static final class ReplayDeadLetter implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobsCommand.Scope scope;

        @Parameters(paramLabel = "ID", description = "The job's id.")
        String id;

        @Override
        public Integer call() {
            PipewrightConfig config = scope.config.load();
            try (JobBackend jobs = JobBackend.open(config.storage(), Clock.system())) {
                Optional<Job> job;
                try {
                    job = jobs.store().replay(scope.tenant, id);
                } catch (IllegalStateException notDead) {
                    spec.commandLine().getErr().println(notDead.getMessage());
                    return 1;
                }
                if (job.isEmpty()) {
                    spec.commandLine().getErr().println("no job with id '" + id + "' for tenant " + scope.tenant);
                    return 1;
                }
                audit.info(
                        "replay of job {} of tenant {} from the command line by {}",
                        id,
                        scope.tenant,
                        System.getProperty("user.name"));
                WebhookBackend.open(jobs, () -> config, Clock.system()).replayed(job.get());
                spec.commandLine().getOut().println("queued " + id + " again");
            }
            return 0;
        }
    }
}
