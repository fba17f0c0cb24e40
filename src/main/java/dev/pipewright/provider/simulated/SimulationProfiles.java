package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says how each simulated model behaves: first from the configured map of provider model name to
 * {@link SimulationConfig}, else from parameters written into the model name itself, so that a test or an SDK user
 * can ask for a fault without touching config.
 *
 * <p>The name grammar:
 *
 * <pre>
 * name       = base *( "+" parameter )
 * parameter  = "latency=" duration | "jitter=" duration | "retry_after=" duration
 *            | "fault=" fault | "fault_rate=" rate | "tokens=" count | "dims=" count
 * duration   = digits ( "ms" | "s" | "m" )        e.g. 50ms, 2s, 1m; a bare 0 is also accepted
 * fault      = rate-limit | server-error | overloaded | connection-reset | no-answer | slow-first-token
 *            | stream-cut | stream-stall | malformed-chunk | context-length | content-filter
 * rate       = a decimal number in [0, 1]
 * count      = a positive integer
 * </pre>
 *
 * <p>Example: {@code sim-chat+latency=50ms+fault=rate-limit+fault_rate=0.5+retry_after=2s+tokens=40+dims=256}.
 * Parameters start from the configuration of {@code base} when the map has it, else from
 * {@link SimulationConfig#DEFAULT}, and override it one by one. A {@code fault} given without {@code fault_rate}
 * keeps the base's rate, or strikes every call when the base has none. {@code retry_after} is both the delay that rate-limit and overloaded ask for and the wait
 * before the first token of a slow-first-token stream. A name that is neither configured nor carries parameters
 * behaves as the default. A parameter that does not parse is an {@link ModelError.InvalidRequest} naming it.
 *
 * <p>Thread safe. Resolved names are remembered (up to a bound, as names may come from clients over HTTP), so the
 * hot path is one lock-free map read.
 */
public final class SimulationProfiles {
    private static final int MAX_REMEMBERED_NAMES = 4096;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private final Map<String, SimulationConfig> configured;
    private final Map<String, SimulationConfig> resolved = new ConcurrentHashMap<>();

    private SimulationProfiles(Map<String, SimulationConfig> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** Profiles from config: provider model name to its behaviour; other names are parsed. */
    public static SimulationProfiles of(Map<String, SimulationConfig> configured) {
        return new SimulationProfiles(configured);
    }

    /** Profiles that come only from model names (and the default for plain names). */
    public static SimulationProfiles fromNames() {
        return new SimulationProfiles(Map.of());
    }

    /** The configured provider model names, as a model listing shows them. */
    public Set<String> configuredModels() {
        return configured.keySet();
    }

    /**
     * The behaviour of {@code model}.
     *
     * @throws ModelException with {@link ModelError.InvalidRequest} when a parameter in the name does not parse
     */
    public SimulationConfig resolve(String model) {
        SimulationConfig known = resolved.get(model);
        if (known != null) {
            return known;
        }
        SimulationConfig config = parse(model);
        if (resolved.size() < MAX_REMEMBERED_NAMES) {
            resolved.putIfAbsent(model, config);
        }
        return config;
    }

    private SimulationConfig parse(String model) {
        SimulationConfig exact = configured.get(model);
        if (exact != null) {
            return exact;
        }
        String[] parts = model.split("\\+", -1);
        Parameters parameters = new Parameters(configured.getOrDefault(parts[0], SimulationConfig.DEFAULT));
        for (int i = 1; i < parts.length; i++) {
            parameters.apply(model, parts[i]);
        }
        return parameters.build(model);
    }

    /** The values a name sets, on top of its base configuration. */
    private static final class Parameters {
        private Duration latency;
        private Duration jitter;
        private Optional<Fault> fault;
        private double faultRate;
        private boolean faultRateGiven;
        private Duration retryAfter;
        private int outputTokens;
        private int dimensions;

        Parameters(SimulationConfig base) {
            latency = base.latency();
            jitter = base.jitter();
            fault = base.fault();
            faultRate = base.faultRate();
            retryAfter = base.retryAfter();
            outputTokens = base.outputTokens();
            dimensions = base.dimensions();
        }

        void apply(String model, String parameter) {
            int equals = parameter.indexOf('=');
            if (equals < 1) {
                throw invalid(model, parameter, "expected key=value");
            }
            String key = parameter.substring(0, equals);
            String value = parameter.substring(equals + 1);
            switch (key) {
                case "latency" -> latency = duration(model, parameter, value);
                case "jitter" -> jitter = duration(model, parameter, value);
                case "retry_after" -> retryAfter = duration(model, parameter, value);
                case "fault" -> fault = Optional.of(fault(model, parameter, value));
                case "fault_rate" -> {
                    faultRate = rate(model, parameter, value);
                    faultRateGiven = true;
                }
                case "tokens" -> outputTokens = count(model, parameter, value);
                case "dims" -> dimensions = count(model, parameter, value);
                default -> throw invalid(model, parameter, "unknown parameter '" + key + "'");
            }
        }

        SimulationConfig build(String model) {
            double rate = fault.isPresent() && !faultRateGiven && faultRate == 0 ? 1 : faultRate;
            try {
                return new SimulationConfig(latency, jitter, fault, rate, retryAfter, outputTokens, dimensions);
            } catch (IllegalArgumentException e) {
                throw new ModelException(new ModelError.InvalidRequest(
                        "simulated model '" + model + "' is not a valid simulation: " + e.getMessage()));
            }
        }

        private static Duration duration(String model, String parameter, String value) {
            if (value.equals("0")) {
                return Duration.ZERO;
            }
            Matcher matcher = DURATION.matcher(value);
            if (!matcher.matches()) {
                throw invalid(model, parameter, "expected a duration such as 50ms, 2s or 1m");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }

        private static Fault fault(String model, String parameter, String value) {
            try {
                return Fault.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw invalid(model, parameter, "unknown fault '" + value + "'");
            }
        }

        private static double rate(String model, String parameter, String value) {
            double rate;
            try {
                rate = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw invalid(model, parameter, "expected a number between 0 and 1");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw invalid(model, parameter, "expected a number between 0 and 1");
            }
            return rate;
        }

        private static int count(String model, String parameter, String value) {
            int count;
            try {
                count = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(model, parameter, "expected a positive integer");
            }
            if (count < 1) {
                throw invalid(model, parameter, "expected a positive integer");
            }
            return count;
        }

        private static ModelException invalid(String model, String parameter, String expected) {
            return new ModelException(new ModelError.InvalidRequest(
                    "simulated model '" + model + "' has an invalid parameter '" + parameter + "': " + expected));
        }
    }
}
