package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strongly connected sets of the directed graph of a count matrix (an edge i -> j where c_ij > 0), found with an
 * iterative version of Tarjan's algorithm. A Markov model can only be estimated on a strongly connected set.
 */
public final class ConnectedSets {
    private ConnectedSets() {
    }

    /**
     * @return the strongly connected sets, each sorted, the largest first (ties: more counts first, then lower
     *         first state)
     */
    public static List<int[]> stronglyConnected(long[][] counts) {
        int n = counts.length;
        int[] index = new int[n], low = new int[n], stack = new int[n], callStack = new int[n], nextEdge = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int counter = 0, sp = 0;
        List<int[]> components = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int csp = 0;
            callStack[csp++] = root;
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            nextEdge[root] = 0;
            while (csp > 0) {
                int v = callStack[csp - 1];
                boolean descended = false;
                while (nextEdge[v] < n) {
                    int w = nextEdge[v]++;
                    if (counts[v][w] <= 0 || w == v) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        nextEdge[w] = 0;
                        callStack[csp++] = w;
                        descended = true;
                        break;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                }
                if (descended) {
                    continue;
                }
                csp--;
                if (csp > 0) {
                    int parent = callStack[csp - 1];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    int size = 0;
                    int[] members = new int[sp];
                    int w;
                    do {
                        w = stack[--sp];
                        onStack[w] = false;
                        members[size++] = w;
                    } while (w != v);
                    int[] component = Arrays.copyOf(members, size);
                    Arrays.sort(component);
                    components.add(component);
                }
            }
        }
        long[] weight = new long[components.size()];
        for (int c = 0; c < components.size(); c++) {
            for (int i : components.get(c)) {
                for (long v : counts[i]) {
                    weight[c] += v;
                }
            }
        }
        Integer[] order = new Integer[components.size()];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int bySize = Integer.compare(components.get(b).length, components.get(a).length);
            if (bySize != 0) {
                return bySize;
            }
            int byWeight = Long.compare(weight[b], weight[a]);
            return byWeight != 0 ? byWeight : Integer.compare(components.get(a)[0], components.get(b)[0]);
        });
        List<int[]> sorted = new ArrayList<>(order.length);
        for (int c : order) {
            sorted.add(components.get(c));
        }
        return sorted;
    }

    /** The largest strongly connected set among the states that have counts at all. */
    public static int[] largest(long[][] counts) {
        return stronglyConnected(counts).get(0);
    }
}
