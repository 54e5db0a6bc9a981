/*
 * Server-side classes the tests of compute and services need, and the startup hook that
 * puts them on a node.
 *
 * Why: a thin client runs compute tasks and calls services *by name*; the classes must
 * already be on the server (thin clients cannot deploy code).  The harness compiles this
 * file against the nodes' jars (ignite_wire/testing/_extras.py), puts the classes on the
 * class path of nodes started with extras=True, and the launcher calls this class (a
 * Consumer of the configuration) before Ignition.start().  The hook:
 *   - lets each thin-client connection run compute tasks (0 by default: compute off);
 *   - deploys the service "ignite-wire.calc" (one instance per node) from the node's
 *     configuration, so it is up when the node reports ready.
 *
 * Task names are the classes' binary names, e.g. "IgniteWireExtras$Echo".
 */

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskSplitAdapter;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.ServiceContextResource;
import org.apache.ignite.services.Service;
import org.apache.ignite.services.ServiceCallContext;
import org.apache.ignite.services.ServiceConfiguration;
import org.apache.ignite.services.ServiceContext;

public class IgniteWireExtras implements Consumer<IgniteConfiguration> {
    /** Name of the test service. */
    public static final String CALC_SERVICE = "ignite-wire.calc";

    @Override public void accept(IgniteConfiguration cfg) {
        cfg.getClientConnectorConfiguration()
            .getThinClientConfiguration()
            .setMaxActiveComputeTasksPerConnection(64);
        cfg.setServiceConfiguration(new ServiceConfiguration()
            .setName(CALC_SERVICE)
            .setService(new Calc())
            .setMaxPerNodeCount(1)
            .setTotalCount(0));
    }

    /** The jobs of the tasks below (a static class: jobs travel to other nodes). */
    public static class Job extends ComputeJobAdapter {
        @IgniteInstanceResource private transient Ignite ignite;

        private final Object arg;

        private final String kind;

        Job(Object arg, String kind) {
            this.arg = arg;
            this.kind = kind;
        }

        @Override public Object execute() {
            switch (kind) {
                case "echo":
                    return arg;
                case "node-id":
                    return ignite.cluster().localNode().id().toString();
                case "sleep":
                    try {
                        Thread.sleep(((Number)arg).longValue());
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IgniteException("interrupted");
                    }
                    return arg;
                default:
                    throw new IgniteException(String.valueOf(arg));
            }
        }
    }

    /** One job: returns the task's argument unchanged. */
    public static class Echo extends ComputeTaskSplitAdapter<Object, Object> {
        @Override protected Collection<? extends ComputeJob> split(int gridSize, Object arg) {
            return Collections.singletonList(new Job(arg, "echo"));
        }

        @Override public Object reduce(List<ComputeJobResult> results) {
            return results.get(0).getData();
        }
    }

    /** One job per node of the task's projection; the sorted ids of the nodes that ran one. */
    public static class NodeIds extends ComputeTaskSplitAdapter<Object, Object> {
        @Override protected Collection<? extends ComputeJob> split(int gridSize, Object arg) {
            List<ComputeJob> jobs = new ArrayList<>();
            for (int i = 0; i < gridSize; i++) {
                jobs.add(new Job(null, "node-id"));
            }
            return jobs;
        }

        @Override public Object reduce(List<ComputeJobResult> results) {
            List<String> ids = new ArrayList<>();
            for (ComputeJobResult r : results) {
                String id = r.getData();
                if (!ids.contains(id))
                    ids.add(id);
            }
            Collections.sort(ids);
            return ids.toArray(new String[0]);
        }
    }

    /** Sleeps for the argument's milliseconds (a Long), then returns it. */
    public static class Sleep extends ComputeTaskSplitAdapter<Object, Object> {
        @Override protected Collection<? extends ComputeJob> split(int gridSize, Object arg) {
            return Collections.singletonList(new Job(arg, "sleep"));
        }

        @Override public Object reduce(List<ComputeJobResult> results) {
            return results.get(0).getData();
        }
    }

    /** Fails with the argument as the message. */
    public static class Fail extends ComputeTaskSplitAdapter<Object, Object> {
        @Override protected Collection<? extends ComputeJob> split(int gridSize, Object arg) {
            return Collections.singletonList(new Job(arg, "fail"));
        }

        @Override public Object reduce(List<ComputeJobResult> results) {
            return null;
        }
    }

    /** The test service: arithmetic, echo, a slow call, a failing call, the call context. */
    public static class Calc implements Service {
        @ServiceContextResource private transient ServiceContext svcCtx;

        @IgniteInstanceResource private transient Ignite ignite;

        public long add(long a, long b) {
            return a + b;
        }

        public String echo(String s) {
            return s;
        }

        /**
         * Called by one test only, with a wrong argument type.  The JVM's message for that
         * ("argument type mismatch") holds only while the method is called through its native
         * accessor: after about 15 reflective calls (JDK 17's inflation threshold) the
         * generated accessor fails without a message, so a test of the message must not share
         * its method with the tests that call add or echo.
         */
        public long negate(long a) {
            return -a;
        }

        public List<Object> reversed(List<Object> items) {
            List<Object> copy = new ArrayList<>(items);
            Collections.reverse(copy);
            return copy;
        }

        public long sleep(long ms) throws InterruptedException {
            Thread.sleep(ms);
            return ms;
        }

        public String fail(String message) {
            throw new IllegalStateException(message);
        }

        public String nodeId() {
            return ignite.cluster().localNode().id().toString();
        }

        /** The caller's context attribute ``name`` (null without one). */
        public String attribute(String name) {
            ServiceCallContext ctx = svcCtx == null ? null : svcCtx.currentCallContext();
            return ctx == null ? null : ctx.attribute(name);
        }
    }
}
