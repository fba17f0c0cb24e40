package dev.pipewright.cost;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Budgets in the Redis of {@code redis.url}, shared by every replica. Per hold, a counter of what was used and a
 * sorted set of reservations ({@code id:picos}, scored by expiry); each reservation and settlement is one Lua script,
 * so it is atomic across all of a call's holds. An alert is claimed with {@code SET NX}, kept until its window ends. Keys share one hash tag so that a cluster keeps them on one node, and
 * expire a while after their window could have ended. Thread safe.
 */
public final class RedisBudgetStore implements BudgetStore {
    static final Duration KEEP = Duration.ofDays(35);
    /**
     * Every call waits for its budget check, so a Redis that stalls must fail it fast and clearly rather than after
     * Lettuce's default of a minute.
     */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Connecting (TCP and the handshake) may take longer than a command, as on a busy host at start-up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final String RESERVE = """
            local n = #KEYS / 2
            local picos = tonumber(ARGV[2])
            if ARGV[5] ~= '1' then
              for i = 1, n do
                redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', ARGV[3])
                local held = 0
                for _, member in ipairs(redis.call('ZRANGE', KEYS[2 * i], 0, -1)) do
                  held = held + tonumber(string.match(member, ':(%d+)$'))
                end
                local used = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
                if used + held + picos > tonumber(ARGV[6 + i]) then
                  return i - 1
                end
              end
            end
            for i = 1, n do
              redis.call('ZADD', KEYS[2 * i], ARGV[4], ARGV[1] .. ':' .. ARGV[2])
              redis.call('PEXPIRE', KEYS[2 * i], ARGV[6])
            end
            return -1
            """;

    private static final String SETTLE = """
            for i = 1, #KEYS / 2 do
              redis.call('ZREM', KEYS[2 * i], ARGV[1] .. ':' .. ARGV[2])
              redis.call('INCRBY', KEYS[2 * i - 1], ARGV[3])
              redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[4])
            end
            return 0
            """;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;

    private RedisBudgetStore(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix) {
        this.client = client;
        this.connection = connection;
        this.prefix = prefix;
    }

    /** Connects to {@code url}; {@code keyPrefix} keeps apart the budgets of deployments sharing one Redis. */
    public static RedisBudgetStore connect(URI url, String keyPrefix) {
        RedisURI address = RedisURI.create(url);
        address.setTimeout(CONNECT_TIMEOUT);
        RedisClient client = RedisClient.create(address);
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            connection.setTimeout(COMMAND_TIMEOUT);
            return new RedisBudgetStore(client, connection, keyPrefix);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    private String[] keys(List<Hold> holds) {
        String[] keys = new String[holds.size() * 2];
        for (int i = 0; i < holds.size(); i++) {
            String base = prefix + "{pipewright-budget}:" + holds.get(i).budget() + ":"
                    + holds.get(i).windowStart();
            keys[2 * i] = base + ":used";
            keys[2 * i + 1] = base + ":reserved";
        }
        return keys;
    }

    @Override
    public int reserve(String id, List<Hold> holds, long picos, Instant now, Instant expiresAt, boolean force) {
        List<String> args = new ArrayList<>(List.of(
                id,
                Long.toString(picos),
                Long.toString(now.toEpochMilli()),
                Long.toString(expiresAt.toEpochMilli()),
                force ? "1" : "0",
                Long.toString(KEEP.toMillis())));
        holds.forEach(hold -> args.add(Long.toString(hold.limitPicos())));
        Long result = timed(
                "reserve",
                () -> connection
                        .sync()
                        .eval(RESERVE, ScriptOutputType.INTEGER, keys(holds), args.toArray(String[]::new)));
        return result.intValue();
    }

    @Override
    public void settle(String id, List<Hold> holds, long reservedPicos, long actualPicos) {
        timed(
                "settle",
                () -> connection
                        .sync()
                        .eval(
                                SETTLE,
                                ScriptOutputType.INTEGER,
                                keys(holds),
                                id,
                                Long.toString(reservedPicos),
                                Long.toString(actualPicos),
                                Long.toString(KEEP.toMillis())));
    }

    @Override
    public Spend spend(Hold hold, Instant now) {
        String[] keys = keys(List.of(hold));
        String used = timed("read", () -> connection.sync().get(keys[0]));
        long held = 0;
        for (String member : timed(
                "read",
                () -> connection
                        .sync()
                        .zrangebyscore(
                                keys[1], io.lettuce.core.Range.create(now.toEpochMilli() + 1.0, Double.MAX_VALUE)))) {
            held += Long.parseLong(member.substring(member.lastIndexOf(':') + 1));
        }
        return new Spend(used == null ? 0 : Long.parseLong(used), held);
    }

    @Override
    public boolean claimAlert(Hold hold, Instant now, Instant keepUntil) {
        String key = prefix + "{pipewright-budget}:" + hold.budget() + ":" + hold.windowStart() + ":alerted";
        long keepFor = Math.max(1, Duration.between(now, keepUntil).toMillis());
        String reply = timed(
                "claim alert",
                () -> connection
                        .sync()
                        .set(
                                key,
                                Long.toString(now.toEpochMilli()),
                                SetArgs.Builder.nx().px(keepFor)));
        return "OK".equals(reply);
    }

    /** Runs {@code command}, naming the store and the operation when Redis does not answer in time. */
    private static <T> T timed(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisCommandTimeoutException stalled) {
            RedisCommandTimeoutException named = new RedisCommandTimeoutException("the Redis budget store did not"
                    + " answer " + operation + " within " + COMMAND_TIMEOUT.toMillis() + " ms");
            named.initCause(stalled);
            throw named;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
