package org.slowdyn.app.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.slowdyn.app.CommandLine;
import org.slowdyn.app.ConsoleProgressMonitor;
import org.slowdyn.core.StageRegistry;

/**
 * The Equinox application {@code org.slowdyn.app.headless}: starts every installed bundle that declares Declarative
 * Services components (so that a third-party bundle installed without lazy activation or an autostart flag still
 * contributes its stages; one that cannot start is listed with the reason), takes the live {@link StageRegistry}
 * service and hands it to the {@link CommandLine}. Its return value is the process exit code.
 */
public class HeadlessApplication implements IApplication {
    /** How long to wait for the registry component, which DS activates when this bundle starts. */
    private static final long REGISTRY_WAIT_MS = 30_000;
    /**
     * How long an interrupted process (Ctrl-C, SIGTERM) waits for the command to stop after it is cancelled, so that
     * what it finished is recorded (a study writes its run to runs.json) before the JVM exits.
     */
    private static final long CANCEL_WAIT_S = 20;

    @Override
    public Object start(IApplicationContext context) {
        try {
            return run(context);
        } catch (Throwable t) {
            // whatever happens before or around the command, the process never exits 0 on a failure
            System.err.println("slowdyn: failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
            return CommandLine.FAILURE;
        }
    }

    private Object run(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        BundleContext bc = FrameworkUtil.getBundle(HeadlessApplication.class).getBundleContext();
        ServiceTracker<StageRegistry, StageRegistry> tracker = new ServiceTracker<>(bc, StageRegistry.class, null);
        tracker.open();
        try {
            StageRegistry stages = tracker.waitForService(REGISTRY_WAIT_MS);
            if (stages == null) {
                System.err.println("slowdyn: failed: the stage registry did not start (is org.apache.felix.scr "
                        + "installed and started?)");
                return CommandLine.FAILURE;
            }
            startComponentBundles(bc, stages);
            stages.setEnvironment(versions(bc));
            ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(System.err, System.console() != null);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                monitor.setCanceled(true);
                try {
                    stopped.await(CANCEL_WAIT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "slowdyn-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return new CommandLine(stages, System.out, System.err, monitor)
                        .execute(args == null ? List.of() : List.of(args));
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
            }
        } finally {
            tracker.close();
        }
    }

    /**
     * Starts (transiently, honouring lazy activation) every bundle with a {@code Service-Component} header that is not
     * started yet. DS registers their components while they start, so their stages are in the registry when this
     * returns. A bundle that cannot be resolved or started is reported with the framework's reason.
     */
    private static void startComponentBundles(BundleContext bc, StageRegistry stages) {
        for (Bundle b : bc.getBundles()) {
            if (b.getHeaders("").get("Service-Component") == null || b.getHeaders("").get("Fragment-Host") != null
                    || (b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                continue;
            }
            try {
                b.start(Bundle.START_TRANSIENT | Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException | IllegalStateException | SecurityException e) {
                stages.reportProblem(new StageRegistry.Problem(StageRegistryComponent.provider(b), "bundle",
                        "cannot start: " + e.getMessage().replace('\n', ' ')));
            }
        }
    }

    private static Map<String, String> versions(BundleContext bc) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Bundle b : bc.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && (name.startsWith("org.slowdyn") || name.equals("org.eclipse.osgi")
                    || name.equals("org.apache.felix.scr"))) {
                v.put(name, b.getVersion().toString());
            }
        }
        return v;
    }

    @Override
    public void stop() {
        // the command returns by itself; cancellation comes from the shutdown hook
    }
}
