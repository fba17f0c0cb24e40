package dev.pipewright.cli;

import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.gateway.auth.Tenant;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pipewright keys}: API keys for tenants. */
@Command(
        name = "keys",
        description = "Manages API keys.",
        subcommands = {KeysCommand.Create.class})
final class KeysCommand {

    /**
     * {@code pipewright keys create --tenant T}: makes a key and prints it once, with the hash to add to the
     * tenant's {@code api_keys}. Nothing is stored: the configuration is where keys live, as hashes only.
     */
    @Command(
            name = "create",
            description = "Makes a new API key for a tenant; prints the key once and the hash for pipewright.yaml.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "The tenant the key is for.")
        String tenant;

        @Override
        public Integer call() {
            if (!Tenant.isValidName(tenant)) {
                throw new ParameterException(
                        spec.commandLine(), "--tenant: '" + tenant + "' is not a tenant name; " + Tenant.NAME_RULE);
            }
            String key = ApiKeys.generate(new SecureRandom());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("API key for tenant '%s' (shown once; it cannot be recovered from its hash):%n", tenant);
            out.printf("  %s%n", key);
            out.printf("Add its hash to the tenant's api_keys in pipewright.yaml:%n");
            out.printf("  tenants:%n    %s: {api_keys: [\"%s\"]}%n", tenant, ApiKeys.hash(key));
            out.flush();
            return 0;
        }
    }
}
