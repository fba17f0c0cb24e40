package dev.pipewright.jobs;

/**
 * A write for a job was refused because the writer's lease no longer holds: another worker claimed the job after
 * this one's lease expired, the job was cancelled, or it already ended. The writer must stop working on the job and
 * write nothing more for it; the other worker's writes stand.
 */
public final class LeaseLostException extends RuntimeException {
    private final String jobId;
    private final long token;

    public LeaseLostException(String jobId, long token, String write) {
        super("job " + jobId + ": " + write + " refused, lease token " + token
                + " no longer holds (the job was taken over, cancelled or has ended)");
        this.jobId = jobId;
        this.token = token;
    }

    public String jobId() {
        return jobId;
    }

    public long token() {
        return token;
    }
}
