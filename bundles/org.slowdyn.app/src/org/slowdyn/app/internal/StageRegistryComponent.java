package org.slowdyn.app.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageProvider;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.StatePartition;

/**
 * The live stage registry of an OSGi runtime: every featurizer, state-partition, recrossing-filter and model-trainer
 * service, added and removed as bundles come and go (dynamic, multiple, greedy references), each with the bundle that
 * provides it. Components of the four families that Declarative Services could not activate are listed as problems,
 * with the reason: one that cannot be created (the registry gets each stage object itself, so a failure is caught
 * here), or one that SCR reports as failed or unsatisfied. Published as the {@link StageRegistry} service: the command line and workbench code use
 * it to resolve stage ids, nested ones included.
 */
@Component(service = StageRegistry.class, immediate = true)
public class StageRegistryComponent extends StageRegistry {
    private static final Set<String> FAMILIES = Set.of(Featurizer.class.getName(), StatePartition.class.getName(),
            RecrossingFilter.class.getName(), ModelTrainer.class.getName());

    private volatile ServiceComponentRuntime scr;
    private final Map<ServiceReference<?>, Stage> bound = new ConcurrentHashMap<>();
    private final Map<ServiceReference<?>, Problem> failed = new ConcurrentHashMap<>();

    static StageProvider provider(Bundle bundle) {
        return bundle == null ? new StageProvider("unknown bundle", "")
                : new StageProvider(bundle.getSymbolicName(), bundle.getVersion().toString());
    }

    @Reference(service = Featurizer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addFeaturizer(ComponentServiceObjects<Featurizer> stage) {
        bind(StageFamily.FEATURIZER, stage);
    }

    void removeFeaturizer(ComponentServiceObjects<Featurizer> stage) {
        unbind(stage);
    }

    @Reference(service = StatePartition.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPartition(ComponentServiceObjects<StatePartition> stage) {
        bind(StageFamily.PARTITION, stage);
    }

    void removePartition(ComponentServiceObjects<StatePartition> stage) {
        unbind(stage);
    }

    @Reference(service = RecrossingFilter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addFilter(ComponentServiceObjects<RecrossingFilter> stage) {
        bind(StageFamily.FILTER, stage);
    }

    void removeFilter(ComponentServiceObjects<RecrossingFilter> stage) {
        unbind(stage);
    }

    @Reference(service = ModelTrainer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTrainer(ComponentServiceObjects<ModelTrainer> stage) {
        bind(StageFamily.TRAINER, stage);
    }

    void removeTrainer(ComponentServiceObjects<ModelTrainer> stage) {
        unbind(stage);
    }

    /**
     * Gets the stage object itself, so that a component that cannot be created (a missing class, a constructor that
     * throws) is caught here and listed with the reason, instead of being silently absent.
     */
    private <T extends Stage> void bind(StageFamily<T> family, ComponentServiceObjects<T> objects) {
        ServiceReference<T> ref = objects.getServiceReference();
        StageProvider provider = provider(ref.getBundle());
        T stage = null;
        String reason = null;
        try {
            stage = objects.getService();
        } catch (RuntimeException e) {
            reason = e.toString();
        }
        if (stage == null) {
            failed.put(ref, new Problem(provider, "component " + ref.getProperty("component.name"),
                    "failed to activate: " + (reason != null ? reason : whyNotCreated(ref))));
            return;
        }
        bound.put(ref, stage);
        add(family, stage, provider);
    }

    private void unbind(ComponentServiceObjects<?> objects) {
        ServiceReference<?> ref = objects.getServiceReference();
        failed.remove(ref);
        Stage stage = bound.remove(ref);
        if (stage != null) {
            remove(stage);
        }
    }

    /** The reason SCR could not create a component: its class cannot be loaded, or its code threw. */
    private String whyNotCreated(ServiceReference<?> ref) {
        ServiceComponentRuntime runtime = scr;
        Object name = ref.getProperty("component.name");
        if (runtime != null && ref.getBundle() != null) {
            for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(ref.getBundle())) {
                if (d.name.equals(name)) {
                    try {
                        ref.getBundle().loadClass(d.implementationClass);
                    } catch (ClassNotFoundException | LinkageError e) {
                        return "its class " + d.implementationClass + " cannot be loaded (" + e + ")";
                    }
                }
            }
        }
        return "its constructor or activate method threw (see the OSGi log)";
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setScr(ServiceComponentRuntime runtime) {
        scr = runtime;
    }

    void unsetScr(ServiceComponentRuntime runtime) {
        if (scr == runtime) {
            scr = null;
        }
    }

    /** The problems reported by hand, and every stage component that SCR could not satisfy or activate. */
    @Override
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(super.problems());
        all.addAll(failed.values());
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            return all;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
            if (d.serviceInterfaces == null || java.util.Arrays.stream(d.serviceInterfaces).noneMatch(FAMILIES::contains)) {
                continue;
            }
            StageProvider provider = new StageProvider(d.bundle.symbolicName, d.bundle.version);
            if (!runtime.isComponentEnabled(d)) {
                all.add(new Problem(provider, "component " + d.name, "disabled"));
                continue;
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    all.add(new Problem(provider, "component " + d.name, "failed to activate: "
                            + firstLine(c.failure)));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    List<String> missing = new ArrayList<>();
                    for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                        missing.add(u.name + (u.target == null ? "" : " " + u.target));
                    }
                    all.add(new Problem(provider, "component " + d.name, "unsatisfied references: " + missing));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    all.add(new Problem(provider, "component " + d.name, "missing its required configuration"));
                }
            }
        }
        return all;
    }

    private static String firstLine(String failure) {
        if (failure == null) {
            return "(no reason given)";
        }
        int nl = failure.indexOf('\n');
        return (nl < 0 ? failure : failure.substring(0, nl)).trim();
    }
}
