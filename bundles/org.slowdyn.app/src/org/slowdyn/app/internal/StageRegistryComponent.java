package org.slowdyn.app.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
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
 * with the reason SCR gives. Published as the {@link StageRegistry} service: the command line and workbench code use
 * it to resolve stage ids, nested ones included.
 */
@Component(service = StageRegistry.class, immediate = true)
public class StageRegistryComponent extends StageRegistry {
    private static final Set<String> FAMILIES = Set.of(Featurizer.class.getName(), StatePartition.class.getName(),
            RecrossingFilter.class.getName(), ModelTrainer.class.getName());

    private volatile ServiceComponentRuntime scr;

    static StageProvider provider(Bundle bundle) {
        return bundle == null ? new StageProvider("unknown bundle", "")
                : new StageProvider(bundle.getSymbolicName(), bundle.getVersion().toString());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFeaturizer(Featurizer stage, ServiceReference<Featurizer> ref) {
        add(StageFamily.FEATURIZER, stage, provider(ref.getBundle()));
    }

    void removeFeaturizer(Featurizer stage) {
        remove(stage);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPartition(StatePartition stage, ServiceReference<StatePartition> ref) {
        add(StageFamily.PARTITION, stage, provider(ref.getBundle()));
    }

    void removePartition(StatePartition stage) {
        remove(stage);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFilter(RecrossingFilter stage, ServiceReference<RecrossingFilter> ref) {
        add(StageFamily.FILTER, stage, provider(ref.getBundle()));
    }

    void removeFilter(RecrossingFilter stage) {
        remove(stage);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTrainer(ModelTrainer stage, ServiceReference<ModelTrainer> ref) {
        add(StageFamily.TRAINER, stage, provider(ref.getBundle()));
    }

    void removeTrainer(ModelTrainer stage) {
        remove(stage);
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
