package org.slowdyn.app.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slowdyn.app.CommandLine;
import org.slowdyn.app.ConsoleProgressMonitor;
import org.slowdyn.app.StageDirectory;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.StatePartition;

/**
 * The Equinox application {@code org.slowdyn.app.headless}: collects the installed featurizer, state-partition,
 * recrossing-filter and model-trainer services and hands them to the {@link CommandLine}. Its return value is the
 * process exit code.
 */
public class HeadlessApplication implements IApplication {
    /** How long to wait for Declarative Services to publish the components of started bundles. */
    private static final long SERVICE_WAIT_MS = 5000;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        BundleContext bc = FrameworkUtil.getBundle(HeadlessApplication.class).getBundleContext();
        StageDirectory stages = collect(bc);
        ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(System.err, System.console() != null);
        Thread hook = new Thread(() -> monitor.setCanceled(true), "slowdyn-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new CommandLine(stages, System.out, System.err, monitor)
                    .execute(args == null ? List.of() : List.of(args));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private static StageDirectory collect(BundleContext bc) throws InvalidSyntaxException, InterruptedException {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
        while (true) {
            List<Featurizer> f = services(bc, Featurizer.class);
            List<StatePartition> p = services(bc, StatePartition.class);
            List<RecrossingFilter> r = services(bc, RecrossingFilter.class);
            List<ModelTrainer> t = services(bc, ModelTrainer.class);
            boolean complete = !f.isEmpty() && !p.isEmpty() && !r.isEmpty() && !t.isEmpty();
            if (complete || System.currentTimeMillis() > deadline) {
                return new StageDirectory(f, p, r, t, versions(bc));
            }
            Thread.sleep(50);
        }
    }

    private static <T> List<T> services(BundleContext bc, Class<T> type) throws InvalidSyntaxException {
        Collection<ServiceReference<T>> refs = bc.getServiceReferences(type, null);
        List<T> result = new ArrayList<>();
        for (ServiceReference<T> ref : refs) {
            T service = bc.getService(ref);
            if (service != null) {
                result.add(service);
            }
        }
        return result;
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
