package dev.pipewright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobQuery;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.Page;
import dev.pipewright.jobs.view.JobView;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipewright jobs list|show ID|cancel ID}: the job queue, read and changed in the configured database. */
@Command(
        name = "jobs",
        description = "Lists, shows and cancels async jobs in the configured database.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class, JobsCommand.CancelJob.class})
final class JobsCommand {
    static final ObjectMapper JSON = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The options every job command shares: the config file and whose jobs. */
    static final class Scope {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--tenant",
                defaultValue = "default",
                paramLabel = "TENANT",
                description = "Whose jobs (default: ${DEFAULT-VALUE}).")
        String tenant;
    }

    @Command(name = "list", description = "Lists jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Scope scope;

        @Option(
                names = "--status",
                paramLabel = "STATUS",
                description = "queued, running, succeeded, dead or cancelled.")
        String status;

        @Option(names = "--pipeline", paramLabel = "NAME", description = "Only jobs of this pipeline.")
        String pipeline;

        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N jobs (default: 20).")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after a previous page.")
        String cursor;

        @Override
        public Integer call() {
            Optional<JobStatus> wanted;
            JobQuery query;
            try {
                wanted = Optional.ofNullable(status).map(JobStatus::fromJsonName);
                query = new JobQuery(
                        scope.tenant, wanted, Optional.ofNullable(pipeline), Optional.ofNullable(cursor), limit);
            } catch (IllegalArgumentException invalid) {
                throw new ParameterException(spec.commandLine(), invalid.getMessage());
            }
            try (JobBackend jobs = JobBackend.open(scope.config.load().storage(), Clock.system())) {
                Page<Job> page = jobs.store().list(query);
                printTable(spec.commandLine().getOut(), page.items());
                page.nextCursor().ifPresent(next -> spec.commandLine().getOut().println("next page: --cursor " + next));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Shows a job: status, step progress, result or error, attempts.")
    static final class ShowJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Scope scope;

        @Parameters(paramLabel = "ID", description = "The job's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            PipewrightConfig config = scope.config.load();
            try (JobBackend jobs = JobBackend.open(config.storage(), Clock.system())) {
                JobStore store = jobs.store();
                Optional<Job> job = store.find(scope.tenant, id);
                if (job.isEmpty()) {
                    spec.commandLine().getErr().println("no job with id '" + id + "' for tenant " + scope.tenant);
                    return 1;
                }
                PipelineConfig pipeline = config.pipelines().get(job.get().pipeline());
                List<String> steps = pipeline == null
                        ? List.of()
                        : pipeline.steps().stream().map(StepConfig::name).toList();
                spec.commandLine()
                        .getOut()
                        .println(JSON.writeValueAsString(JobView.detail(
                                job.get(), steps, store.steps(scope.tenant, id), store.attempts(scope.tenant, id))));
            }
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancels a job that has not ended.")
    static final class CancelJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Scope scope;

        @Parameters(paramLabel = "ID", description = "The job's id.")
        String id;

        @Override
        public Integer call() {
            try (JobBackend jobs = JobBackend.open(scope.config.load().storage(), Clock.system())) {
                Optional<Job> job = jobs.store().cancel(scope.tenant, id);
                if (job.isEmpty()) {
                    spec.commandLine().getErr().println("no job with id '" + id + "' for tenant " + scope.tenant);
                    return 1;
                }
                if (job.get().status() != JobStatus.CANCELLED) {
                    spec.commandLine()
                            .getErr()
                            .println("job " + id + " has already ended as "
                                    + job.get().status().jsonName());
                    return 1;
                }
                spec.commandLine().getOut().println("cancelled " + id);
            }
            return 0;
        }
    }

    /** One job per line: id, status, pipeline, attempts, creation time and the last error, if any. */
    static void printTable(PrintWriter out, List<Job> jobs) {
        out.printf("%-36s  %-9s  %-16s  %-8s  %-24s  %s%n", "ID", "STATUS", "PIPELINE", "ATTEMPTS", "CREATED", "ERROR");
        for (Job job : jobs) {
            out.printf(
                    "%-36s  %-9s  %-16s  %-8s  %-24s  %s%n",
                    job.id(),
                    job.status().jsonName(),
                    job.pipeline(),
                    job.attempts() + "/" + job.maxAttempts(),
                    job.createdAt(),
                    job.lastError()
                            .map(error -> error.kind() + ": " + error.message())
                            .orElse(""));
        }
        out.flush();
    }
}
