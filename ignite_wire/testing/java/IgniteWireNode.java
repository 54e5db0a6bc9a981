/*
 * One Apache Ignite server node for ignite_wire's test harness.
 *
 * Why a launcher of our own instead of ignite.sh and Spring XML: the harness fetches only
 * Maven artifacts (ignite-core, ignite-indexing), so there is no binary distribution and
 * no Spring on the class path.  Everything a test needs is an argument here, and every
 * socket is bound to 127.0.0.1: discovery uses a static IP finder over an explicit port
 * range (never multicast), communication and the thin-client connector listen on loopback.
 *
 * Protocol with the Python side (ignite_wire/testing/_cluster.py), all on stdout, which
 * the harness redirects to the node's log file:
 *   IGNITE_WIRE_STARTED node=<uuid>          Ignition.start() returned
 *   IGNITE_WIRE_READY servers=<n> node=<uuid> the topology holds the expected server count,
 *                                            the cluster is active and users exist
 *   IGNITE_WIRE_FAILED <message>             start failed; the process exits with code 2
 * With --watch-stdin the node halts as soon as its stdin reaches end of file: the harness
 * keeps the write end of that pipe, so the JVM cannot outlive the Python process that
 * started it, however that process ends.
 *
 * Secrets (key-store passwords, user passwords) arrive in files, never on the command
 * line, where any user of the machine could read them from the process list.
 */

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.configuration.Factory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.SslMode;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.ThinClientConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

public final class IgniteWireNode {
    private static final String LOOPBACK = "127.0.0.1";

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        try {
            run(args);
        }
        catch (Throwable e) {
            System.out.println("IGNITE_WIRE_FAILED " + e);
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(2);
        }
    }

    private static void run(Map<String, String> args) throws Exception {
        if (args.containsKey("watch-stdin"))
            watchStdin();

        String name = required(args, "name");
        int clientPort = Integer.parseInt(required(args, "client-port"));
        int discoveryPort = Integer.parseInt(required(args, "discovery-port"));
        int communicationPort = Integer.parseInt(required(args, "communication-port"));
        String discoveryAddresses = required(args, "discovery-addresses");
        String workDir = required(args, "work-dir");
        long regionMb = Long.parseLong(args.getOrDefault("region-mb", "256"));
        boolean auth = args.containsKey("auth");
        boolean persistence = auth || args.containsKey("persistence");
        int expectServers = Integer.parseInt(args.getOrDefault("expect-servers", "1"));
        long failureDetectionMs = Long.parseLong(args.getOrDefault("failure-detection-ms", "5000"));

        IgniteConfiguration cfg = new IgniteConfiguration()
            .setIgniteInstanceName(name)
            .setConsistentId(name)
            .setLocalHost(LOOPBACK)
            .setWorkDirectory(workDir)
            .setConnectorConfiguration(null)     // no REST/TCP connector on :11211
            .setPeerClassLoadingEnabled(false)
            .setMetricsLogFrequency(0)
            .setFailureDetectionTimeout(failureDetectionMs);
        // Small pools start fast (tests); --default-pools keeps Ignite's own (benchmarks).
        boolean defaultPools = args.containsKey("default-pools");
        if (!defaultPools)
            cfg.setPublicThreadPoolSize(4)
                .setSystemThreadPoolSize(4)
                .setQueryThreadPoolSize(4)
                .setStripedPoolSize(4)
                .setRebalanceThreadPoolSize(1);

        TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder();
        ipFinder.setAddresses(List.of(discoveryAddresses.split(",")));
        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setLocalAddress(LOOPBACK);
        discovery.setLocalPort(discoveryPort);
        discovery.setLocalPortRange(0);
        discovery.setIpFinder(ipFinder);
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress(LOOPBACK);
        communication.setLocalPort(communicationPort);
        communication.setLocalPortRange(0);
        cfg.setCommunicationSpi(communication);

        ClientConnectorConfiguration connector = new ClientConnectorConfiguration()
            .setHost(LOOPBACK)
            .setPort(clientPort)
            .setPortRange(0)
            .setThreadPoolSize(defaultPools ? ClientConnectorConfiguration.DFLT_THREAD_POOL_SIZE : 4)
            .setThinClientConfiguration(new ThinClientConfiguration()
                .setMaxActiveTxPerConnection(100)
                .setMaxActiveComputeTasksPerConnection(0));
        PemSslContextFactory ssl = null;
        if (args.containsKey("ssl-cert")) {
            ssl = new PemSslContextFactory(
                required(args, "ssl-cert"), required(args, "ssl-key"), required(args, "ssl-ca"));
            connector.setSslEnabled(true)
                .setUseIgniteSslContextFactory(false)
                .setSslClientAuth(args.containsKey("ssl-client-auth"))
                .setSslContextFactory(ssl);
        }
        cfg.setClientConnectorConfiguration(connector);

        DataRegionConfiguration region = new DataRegionConfiguration()
            .setName("default")
            .setInitialSize(Math.min(64L, regionMb) << 20)
            .setMaxSize(regionMb << 20)
            .setPersistenceEnabled(persistence);
        DataStorageConfiguration storage = new DataStorageConfiguration()
            .setDefaultDataRegionConfiguration(region);
        if (args.containsKey("regions-file"))
            storage.setDataRegionConfigurations(readRegions(Path.of(args.get("regions-file")), persistence));
        if (persistence) {
            storage.setWalSegmentSize(8 << 20)
                .setWalSegments(4)
                .setMaxWalArchiveSize(64L << 20)
                .setCheckpointFrequency(10_000);
        }
        cfg.setDataStorageConfiguration(storage);
        cfg.setAuthenticationEnabled(auth);

        if (args.containsKey("partitions")) {
            // Template "*" applies to every cache created by name, so a test can get a
            // non-power-of-two partition count without sending a configuration.
            int parts = Integer.parseInt(args.get("partitions"));
            cfg.setCacheConfiguration(new CacheConfiguration<>("*")
                .setAffinity(new RendezvousAffinityFunction(false, parts)));
        }

        // --startup-hook: a class on the class path that may change the configuration
        // (the tests' compute tasks and services: ignite_wire/testing/_extras.py).
        if (args.containsKey("startup-hook")) {
            @SuppressWarnings("unchecked")
            java.util.function.Consumer<IgniteConfiguration> hook = (java.util.function.Consumer<IgniteConfiguration>)
                Class.forName(args.get("startup-hook")).getDeclaredConstructor().newInstance();
            hook.accept(cfg);
        }

        Ignite ignite = Ignition.start(cfg);
        String nodeId = ignite.cluster().localNode().id().toString();
        System.out.println("IGNITE_WIRE_STARTED node=" + nodeId);
        System.out.flush();

        int servers = awaitServers(ignite, expectServers);

        if (persistence && args.containsKey("activate") && ignite.cluster().state() == ClusterState.INACTIVE)
            ignite.cluster().state(ClusterState.ACTIVE);

        if (args.containsKey("users-file"))
            createUsers(Path.of(args.get("users-file")), clientPort, ssl);

        System.out.println("IGNITE_WIRE_READY servers=" + servers + " node=" + nodeId);
        System.out.flush();
    }

    /**
     * Named data regions, for caches whose configuration names one.  The file holds one
     * region a line: its maximum size in MiB, a tab, its name (UTF-8, any characters but
     * a line break).
     */
    private static DataRegionConfiguration[] readRegions(Path file, boolean persistence) throws Exception {
        List<DataRegionConfiguration> regions = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty())
                continue;
            int tab = line.indexOf('\t');
            long mb = Long.parseLong(line.substring(0, tab));
            regions.add(new DataRegionConfiguration()
                .setName(line.substring(tab + 1))
                .setInitialSize(Math.min(10L, mb) << 20)
                .setMaxSize(mb << 20)
                .setPersistenceEnabled(persistence));
        }
        return regions.toArray(new DataRegionConfiguration[0]);
    }

    /** Blocks until the topology holds at least {@code expected} server nodes. */
    private static int awaitServers(Ignite ignite, int expected) throws InterruptedException {
        while (true) {
            int servers = ignite.cluster().forServers().nodes().size();
            if (servers >= expected)
                return servers;
            Thread.sleep(50);
        }
    }

    /**
     * Creates extra users through this node's own thin-client port, logged in as the
     * default superuser: user management is a SQL command that needs an authenticated
     * session, and the Java thin client shipped in ignite-core provides one.
     * The file holds one user a line: name, a tab, password (both UTF-8).
     */
    private static void createUsers(Path file, int clientPort, PemSslContextFactory ssl) throws Exception {
        List<String[]> users = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty())
                continue;
            int tab = line.indexOf('\t');
            users.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
        }
        ClientConfiguration clientCfg = new ClientConfiguration()
            .setAddresses(LOOPBACK + ":" + clientPort)
            .setUserName("ignite")
            .setUserPassword("ignite");
        if (ssl != null)
            clientCfg.setSslMode(SslMode.REQUIRED).setSslContextFactory(ssl);
        try (IgniteClient client = Ignition.startClient(clientCfg)) {
            for (String[] user : users) {
                String sql = "CREATE USER \"" + user[0].replace("\"", "\"\"") + "\" WITH PASSWORD '"
                    + user[1].replace("'", "''") + "'";
                try {
                    client.query(new SqlFieldsQuery(sql)).getAll();
                }
                catch (ClientException e) {
                    // A restarted persistent node still has its users; anything else is fatal.
                    if (!String.valueOf(e.getMessage()).contains("already exists"))
                        throw e;
                }
            }
        }
    }

    /** Ends the JVM when the harness that started it goes away (stdin reaches EOF). */
    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() != -1) {
                    // The harness never writes; any byte is ignored.
                }
            }
            catch (Exception ignored) {
                // A broken pipe means the same as EOF.
            }
            Runtime.getRuntime().halt(3);
        }, "ignite-wire-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--"))
                throw new IllegalArgumentException("unexpected argument: " + arg);
            String key = arg.substring(2);
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--"))
                args.put(key, argv[++i]);
            else
                args.put(key, "true");
        }
        return args;
    }

    private static String required(Map<String, String> args, String key) {
        String value = args.get(key);
        if (value == null)
            throw new IllegalArgumentException("missing --" + key);
        return value;
    }

    /**
     * Builds the TLS context from PEM files written by the Python side at test time: a
     * certificate chain, its PKCS#8 private key and the CA to trust.  No key store file
     * and no password cross the command line.
     */
    static final class PemSslContextFactory implements Factory<SSLContext> {
        private static final long serialVersionUID = 1L;
        private static final char[] IN_MEMORY = "in-memory".toCharArray();

        private final String certPath;
        private final String keyPath;
        private final String caPath;

        PemSslContextFactory(String certPath, String keyPath, String caPath) {
            this.certPath = certPath;
            this.keyPath = keyPath;
            this.caPath = caPath;
        }

        @Override public SSLContext create() {
            try {
                CertificateFactory certs = CertificateFactory.getInstance("X.509");
                Collection<? extends Certificate> chain;
                try (InputStream in = new FileInputStream(certPath)) {
                    chain = certs.generateCertificates(in);
                }
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("node", readKey(keyPath), IN_MEMORY, chain.toArray(new Certificate[0]));

                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                try (InputStream in = new FileInputStream(caPath)) {
                    for (Certificate ca : certs.generateCertificates(in))
                        trust.setCertificateEntry("ca" + i++, ca);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, IN_MEMORY);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return ctx;
            }
            catch (Exception e) {
                throw new IllegalStateException("cannot build the SSL context from " + certPath, e);
            }
        }

        private static PrivateKey readKey(String path) throws Exception {
            String pem = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL)
                .matcher(pem);
            if (!m.find())
                throw new IllegalArgumentException(path + " holds no unencrypted PKCS#8 private key");
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
            for (String algorithm : new String[] {"EC", "RSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                }
                catch (Exception ignored) {
                    // Try the next algorithm.
                }
            }
            throw new IllegalArgumentException(path + " holds neither an EC nor an RSA key");
        }
    }
}
