import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import org.apache.ignite.Ignition;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientCache;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;

/**
 * The Java thin client's side of benchmarks/bench.py: the same workloads as
 * benchmarks/bench_worker.py, driven by the same one-JSON-line-per-command protocol.
 *
 * Kept next to the node launcher; bench.py compiles it with javac against the jars the
 * harness fetched (the same Ignite version as the nodes).  Not part of the harness.
 */
public class IgniteWireBench {
    static final byte[] BLOB = new byte[1024];
    static IgniteClient client;
    static ClientCache<Integer, Object> kv;
    static ClientCache<Integer, BinaryObject> kvBinary;

    public static void main(String[] argv) throws Exception {
        for (int i = 0; i < BLOB.length; i++)
            BLOB[i] = (byte) i;
        client = Ignition.startClient(new ClientConfiguration()
            .setAddresses(argv[0].split(","))
            .setPartitionAwarenessEnabled(true));
        kv = client.getOrCreateCache("bench_kv_java");
        kvBinary = kv.withKeepBinary();
        System.out.println("{\"ready\": \"java\"}");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String line;
        while ((line = in.readLine()) != null) {
            // {"w": "<name>", "n": <int>}: the driver writes exactly this shape.
            String w = line.replaceAll(".*\"w\":\\s*\"([^\"]*)\".*", "$1");
            int n = Integer.parseInt(line.replaceAll(".*\"n\":\\s*(\\d+).*", "$1"));
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            String out;
            try {
                long ops = run(w, n);
                out = String.format(java.util.Locale.ROOT,
                    "{\"w\": \"%s\", \"client\": \"java\", \"ops\": %d, \"wall\": %.6f, \"cpu\": %.6f, \"ok\": true}",
                    w, ops, (System.nanoTime() - wall) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
            }
            catch (Throwable e) {
                out = "{\"w\": \"" + w + "\", \"client\": \"java\", \"ok\": false, \"error\": \""
                    + String.valueOf(e).replace("\\", "/").replace("\"", "'").replace("\n", " ") + "\"}";
            }
            System.out.println(out);
            System.out.flush();
        }
        client.close();
    }

    static void check(boolean ok, String what) {
        if (!ok)
            throw new AssertionError(what);
    }

    static BinaryObject small(int i) {
        return client.binary().builder("BenchSmall")
            .setField("id", i, Integer.class)
            .setField("name", "name-" + i, String.class)
            .setField("age", i % 90, Integer.class)
            .setField("salary", i * 1.5, Double.class)
            .setField("account", ((long) i) << 20, Long.class)
            .build();
    }

    static long run(String w, int n) throws Exception {
        switch (w) {
            case "W2": {
                BinaryObject obj = small(7);
                for (int i = 0; i < n; i++) {
                    int k = i % 1000;
                    kv.put(k, BLOB);
                    check(java.util.Arrays.equals((byte[]) kv.get(k), BLOB), "W2 get 1 KB");
                    kvBinary.put(k + 100_000, obj);
                    check(obj.equals(kvBinary.get(k + 100_000)), "W2 get object");
                }
                return 4L * n;
            }
            case "W3": {
                // 64 chains at once, as the Python side's 64 asyncio tasks.
                List<CompletableFuture<Void>> chains = new ArrayList<>();
                for (int t = 0; t < 64; t++)
                    chains.add(chain(t, n));
                CompletableFuture.allOf(chains.toArray(new CompletableFuture[0])).get();
                return 2L * n;
            }
            case "W4 put_all": {
                Map<Integer, BinaryObject> all = new HashMap<>();
                for (int i = 0; i < n; i++)
                    all.put(i, small(i));
                kvBinary.putAll(all);
                return n;
            }
            case "W4 get_all": {
                Set<Integer> keys = new HashSet<>();
                for (int i = 0; i < n; i++)
                    keys.add(i);
                Map<Integer, BinaryObject> got = kvBinary.getAll(keys);
                check(got.size() == n, "W4 get_all count");
                for (Map.Entry<Integer, BinaryObject> e : got.entrySet())
                    check((Long) e.getValue().field("account") == ((long) e.getKey()) << 20, "W4 values");
                return n;
            }
            case "W5": {
                long count = 0, total = 0;
                SqlFieldsQuery q = new SqlFieldsQuery("SELECT id, name, qty, price, ts FROM bench_sql WHERE id <= ?")
                    .setArgs((long) n).setPageSize(1024);
                try (FieldsQueryCursor<List<?>> cursor = client.query(q)) {
                    for (List<?> row : cursor) {
                        count++;
                        long id = (Long) row.get(0);
                        total += id;
                        if (id == 1)
                            check(((BigDecimal) row.get(3)).compareTo(new BigDecimal("1.25")) == 0, "W5 decimal");
                    }
                }
                check(count == n && total == (long) n * (n + 1) / 2, "W5 rows " + count);
                return n;
            }
            case "W6": {
                ClientCache<Long, BinaryObject> cache = client.<Long, Object>cache("bench_scan").withKeepBinary();
                long count = 0, total = 0;
                try (QueryCursor<Cache.Entry<Long, BinaryObject>> cursor =
                         cache.query(new ScanQuery<Long, BinaryObject>().setPageSize(1024))) {
                    for (Cache.Entry<Long, BinaryObject> e : cursor) {
                        count++;
                        total += e.getKey();
                        check(((Integer) e.getValue().field("QTY")) == e.getKey() % 1000, "W6 value");
                    }
                }
                check(count == n && total == (long) n * (n + 1) / 2, "W6 objects " + count);
                return n;
            }
            default:
                throw new IllegalArgumentException("unknown workload " + w);
        }
    }

    /** Keys t, t+64, t+128, ...: put then get each, one request at a time per chain. */
    static CompletableFuture<Void> chain(int t, int n) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger(t);
        step(next, n, done);
        return done;
    }

    static void step(AtomicInteger next, int n, CompletableFuture<Void> done) {
        int i = next.getAndAdd(64);
        if (i >= n) {
            done.complete(null);
            return;
        }
        kv.putAsync(i, BLOB).toCompletableFuture()
            .thenCompose(v -> kv.getAsync(i).toCompletableFuture())
            .whenComplete((value, err) -> {
                if (err != null)
                    done.completeExceptionally(err);
                else if (!java.util.Arrays.equals((byte[]) value, BLOB))
                    done.completeExceptionally(new AssertionError("W3 get"));
                else
                    step(next, n, done);
            });
    }
}
