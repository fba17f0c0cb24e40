package dev.pipewright.jobs;

/** A job names a pipeline the current configuration does not define (it was removed or renamed since). */
final class UnknownPipelineException extends RuntimeException {
    UnknownPipelineException(String jobId, String pipeline) {
        super("job " + jobId + " names pipeline '" + pipeline + "', which the configuration does not define");
    }
}
