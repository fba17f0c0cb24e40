package dev.pipewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pipewright schedules}: each schedule's next fire time, last run and its outcome, from the database. */
@Command(name = "schedules", description = "Shows each schedule's next fire time, last run and outcome.")
final class SchedulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        PipewrightConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        if (loaded.schedules().isEmpty()) {
            out.println("no schedules in " + config.file);
            return 0;
        }
        try (JobBackend jobs = JobBackend.open(loaded.storage(), Clock.system());
                ScheduleBackend schedules = new ScheduleBackend(jobs, () -> loaded, Clock.system(), "cli")) {
            out.printf(
                    "%-20s %-16s %-26s %-26s %-10s %5s %s%n",
                    "NAME", "CRON", "NEXT FIRE", "LAST FIRE", "STATUS", "JOBS", "OUTCOME");
            for (JsonNode schedule : schedules.list().path("schedules")) {
                JsonNode last = schedule.path("last_run");
                out.printf(
                        "%-20s %-16s %-26s %-26s %-10s %5s %s%n",
                        schedule.path("name").asText(),
                        schedule.path("cron").asText(),
                        schedule.path("next_fire").asText("-"),
                        last.isNull() ? "-" : last.path("fire_time").asText(),
                        last.isNull() ? "-" : last.path("status").asText(),
                        last.isNull() ? "-" : last.path("jobs").asText(),
                        last.isNull() ? "never run" : last.path("outcome").asText());
            }
        }
        return 0;
    }
}
